#include "cli.h"
#include "options.h"

#include <string.h>

PetscErrorCode HavocCmdRun(MPI_Comm comm, const HavocArgs *args)
{
  return 0;
}
PetscErrorCode HavocCmdProbe(MPI_Comm comm, const HavocArgs *args)
{
  return 0;
}

/* TEMPORARY until the real HavocOptionsCheckUnused lands: reports the first unused option, without the
   case-file line. Options starting with "malloc" are PETSc's, read only at finalize. */
PetscErrorCode HavocOptionsCheckUnused(MPI_Comm comm)
{
  PetscInt n;
  char   **names, **values, unused[256] = "";

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsLeftGet(NULL, &n, &names, &values));
  for (PetscInt i = 0; i < n && !unused[0]; i++)
    if (strncmp(names[i], "malloc", 6)) PetscCall(PetscStrncpy(unused, names[i], sizeof(unused)));
  PetscCall(PetscOptionsLeftRestore(NULL, &n, &names, &values));
  HavocCheckUser(!unused[0], comm, "unknown option -%s (see havoc mesh -help)", unused);
  PetscFunctionReturn(0);
}
