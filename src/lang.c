/* lang.c - the --lang option's values (lang.h). */
#include <string.h>

#include "lang.h"
#include "banned.h"

int lang_parse(const char *text, enum rota_lang *out)
{
	if (!strcmp(text, "vi"))
		*out = LANG_VI;
	else if (!strcmp(text, "en"))
		*out = LANG_EN;
	else
		return -1;
	return 0;
}
