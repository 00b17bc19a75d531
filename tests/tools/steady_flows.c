/* steady_flows NETWORK.yaml -o FLOWS.txt [-block NAME,...] [-steady_* options]: solves the steady network
   on the ranks it is started on, with the named vessels blocked, and writes every vessel's flow and end
   pressures, in mesh order, as text (rank 0). Prints how many vessels each rank owns. Used by the MPI
   test. */
#include <stdio.h>

#include "options.h"
#include "steady.h"

int main(int argc, char **argv)
{
  char             path[PETSC_MAX_PATH_LEN] = "", out[PETSC_MAX_PATH_LEN] = "", *block[64];
  PetscInt         nblock = 64;
  HavocMesh        mesh;
  Network          net;
  Steady           s;
  PetscMPIInt      rank;
  PetscInt         its;
  const PetscReal *Q, *p0, *pL;
  PetscReal        inflow = 0, mu = 4e-3;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(HavocErrorHandlerPush());
  PetscCall(HavocRegisterAll());
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  HavocCheckUser(argc > 1 && argv[1][0] != '-', PETSC_COMM_WORLD, "usage: steady_flows NETWORK.yaml -o FLOWS.txt [options]");
  PetscCall(PetscStrncpy(path, argv[1], sizeof(path)));
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "steady_flows", NULL);
  PetscCall(PetscOptionsString("-o", "text file of the flows", NULL, out, out, sizeof(out), NULL));
  PetscCall(PetscOptionsStringArray("-block", "vessels to block", NULL, block, &nblock, NULL));
  PetscCall(PetscOptionsReal("-steady_inlet_value", "mean inflow of every inlet [m^3/s]", NULL, inflow, &inflow, NULL));
  PetscCall(PetscOptionsReal("-steady_blood_viscosity", "blood viscosity [Pa s]", NULL, mu, &mu, NULL));
  PetscOptionsEnd();
  HavocCheckUser(out[0], PETSC_COMM_WORLD, "option -o: give the output file");

  PetscCall(HavocMeshRead(PETSC_COMM_WORLD, path, &mesh));
  PetscCall(NetworkCreate(PETSC_COMM_WORLD, mesh, &net));
  PetscCall(NetworkSetFromOptions(net));
  PetscCall(NetworkSetUp(net));
  PetscCall(SteadyCreate(net, &s));
  PetscCall(SteadySetFromOptions(s));
  PetscCall(SteadySetBlood(s, 1060, mu, -1));
  PetscCall(SteadySetInlet(s, PETSC_FALSE, inflow));
  PetscCall(SteadySetUp(s));
  for (PetscInt k = 0; k < nblock; k++) {
    PetscInt i;
    PetscCall(HavocMeshFindVessel(mesh, block[k], &i));
    HavocCheckUser(i >= 0, PETSC_COMM_WORLD, "option -block: no vessel '%s' in %s", block[k], path);
    PetscCall(SteadySetVesselResistance(s, i, PETSC_INFINITY));
    PetscCall(PetscFree(block[k]));
  }
  PetscCall(SteadySolve(s));
  /* after the solve: SNES reads its viewer options at the end of it */
  PetscCall(HavocOptionsCheckUnused(PETSC_COMM_WORLD));
  PetscCall(SteadyGetIterations(s, &its));
  PetscCall(SteadyGetSolution(s, &Q, &p0, &pL));
  PetscCall(PetscSynchronizedPrintf(PETSC_COMM_WORLD, "rank %d: %" PetscInt_FMT " vessel%s in both networks\n", rank, net->nvessels, net->nvessels == 1 ? "" : "s"));
  PetscCall(PetscSynchronizedFlush(PETSC_COMM_WORLD, PETSC_STDOUT));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "Newton iterations: %" PetscInt_FMT "\n", its));
  if (!rank) {
    FILE *f = fopen(out, "w");
    PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot write %s", out);
    fprintf(f, "# vessel Q[m^3/s] p0[Pa] pL[Pa]\n");
    for (PetscInt i = 0; i < mesh->nvessels; i++)
      fprintf(f, "%s %.17e %.17e %.17e\n", mesh->vessels[i].name, (double)Q[i], (double)p0[i], (double)pL[i]);
    fclose(f);
  }
  PetscCall(SteadyDestroy(&s));
  PetscCall(NetworkDestroy(&net));
  PetscCall(HavocMeshDestroy(&mesh));
  PetscCall(HavocErrorHandlerPop());
  PetscCall(PetscFinalize());
  return 0;
}
