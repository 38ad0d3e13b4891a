/*
 * cli_import.h - the commands `rota import` (a campaign file from the
 * commune's spreadsheets) and `rota template` (empty spreadsheets to fill
 * in). Each takes main's arguments from the command's name on and returns
 * the process exit status (docs/rota.1).
 */
#ifndef ROTA_CLI_IMPORT_H
#define ROTA_CLI_IMPORT_H

int cmd_import(int argc, char **argv);
int cmd_template(int argc, char **argv);

#endif
