/*
 * banned.h - functions this project never calls, as git does: unbounded
 * copies, non-reentrant or locale- and zone-dependent helpers, and
 * conversions that cannot report errors. Every .c file includes it last,
 * after the system headers, so that their declarations are untouched.
 */
#ifndef ROTA_BANNED_H
#define ROTA_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_rota

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef ctime
#define ctime(t) BANNED(ctime)
#undef asctime
#define asctime(t) BANNED(asctime)
#undef gets
#define gets(s) BANNED(gets)

#endif
