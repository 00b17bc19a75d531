/* havoc render: (being written) */
#include "cli.h"
#include "post.h"

PetscErrorCode HavocCmdRender(MPI_Comm comm, const HavocArgs *args)
{
  PetscFunctionBeginUser;
  SETERRQ(comm, PETSC_ERR_SUP, "havoc render: not built yet");
}
