/* havoc compare: (being written) */
#include "cli.h"
#include "post.h"

PetscErrorCode HavocCmdCompare(MPI_Comm comm, const HavocArgs *args)
{
  PetscFunctionBeginUser;
  SETERRQ(comm, PETSC_ERR_SUP, "havoc compare: not built yet");
}
