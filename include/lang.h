/*
 * lang.h - the language of everything rota writes for people: Vietnamese
 * (the default) or English (`--lang en`).
 */
#ifndef ROTA_LANG_H
#define ROTA_LANG_H

enum rota_lang { LANG_VI, LANG_EN };

/* "vi" or "en" into *out: returns 0, or -1 for anything else. */
int lang_parse(const char *text, enum rota_lang *out);

#endif
