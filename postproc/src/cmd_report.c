/* havoc report: (being written) */
#include "cli.h"
#include "post.h"

PetscErrorCode HavocCmdReport(MPI_Comm comm, const HavocArgs *args)
{
  PetscFunctionBeginUser;
  SETERRQ(comm, PETSC_ERR_SUP, "havoc report: not built yet");
}
