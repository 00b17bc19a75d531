/* havoc export: (being written) */
#include "cli.h"
#include "post.h"

PetscErrorCode HavocCmdExport(MPI_Comm comm, const HavocArgs *args)
{
  PetscFunctionBeginUser;
  SETERRQ(comm, PETSC_ERR_SUP, "havoc export: not built yet");
}
