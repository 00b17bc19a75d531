#include "cli.h"
PetscErrorCode HavocCmdRun(MPI_Comm comm, const HavocArgs *args)
{
  return 0;
}
PetscErrorCode HavocCmdMesh(MPI_Comm comm, const HavocArgs *args)
{
  return 0;
}
PetscErrorCode HavocCmdProbe(MPI_Comm comm, const HavocArgs *args)
{
  return 0;
}
