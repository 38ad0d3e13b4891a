/*
 * cli_report.h - the commands `rota report` and `rota compare`
 * (docs/report.md). Each takes main's arguments from the command name on
 * and returns the process exit status (util.h); each prints its own
 * diagnostics to standard error.
 */
#ifndef ROTA_CLI_REPORT_H
#define ROTA_CLI_REPORT_H

/* rota report DIR [--lang vi|en] [--campaign CAMPAIGN.json] [-o FILE] [--compare DIR2]... */
int cmd_report(int argc, char **argv);
/* rota compare DIR1 DIR2 [DIR...] [--lang vi|en] [--html FILE] */
int cmd_compare(int argc, char **argv);

#endif
