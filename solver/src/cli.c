/* Helpers of the front end shared by the subcommands. */
#include "cli.h"

#include <string.h>

const char *HavocArgsFlag(const HavocArgs *args, const char name[])
{
  for (int i = 0; i < args->nflag; i++)
    if (!strcmp(args->flag[i], name)) return args->value[i];
  return NULL;
}
