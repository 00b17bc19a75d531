/* Validation (4): mass balance of networks. The volume that entered through the inlets minus what left
   through the outlets must equal the change of the volume held in the vessels, to round-off: the scheme
   is conservative in A and the junctions conserve mass to machine precision. Two networks: the aortic
   bifurcation of the benchmark over two cycles, and a generated tree with loops and junctions of degree
   up to 4 under a pulsatile inflow. */
#include "valtest.h"

static PetscErrorCode Balance(const char label[], const char mesh[], const char mesh_text[], const char options[])
{
  ValRun    r;
  PetscReal v0, v1, vin, vout, err;
  char      what[96];

  PetscFunctionBeginUser;
  PetscCall(ValRunCreate(mesh, mesh_text, options, &r));
  PetscCall(HemoGetVolume(r.hemo, &v0));
  PetscCall(ValRunSolve(&r));
  PetscCall(HemoGetVolume(r.hemo, &v1));
  PetscCall(HemoGetBoundaryVolumes(r.hemo, &vin, &vout));
  err = PetscAbsReal((v1 - v0) - (vin - vout)) / vin;
  PetscCall(PetscSNPrintf(what, sizeof(what), "mass balance, %s", label));
  ValCheck((PetscBool)(err <= 1e-12), what, "in %.9e m^3, out %.9e m^3, stored %+.3e m^3, |imbalance| / in = %.1e (bound 1e-12, %" PetscInt_FMT " steps)", (double)vin, (double)vout, (double)(v1 - v0), (double)err, r.hemo->step);
  PetscCall(ValRunDestroy(&r));
  PetscFunctionReturn(0);
}

static PetscErrorCode Body(void)
{
  HavocTreeSpec spec;
  HavocMesh     tree;
  char         *text;

  PetscFunctionBeginUser;
  PetscCall(Balance("aortic bifurcation", "meshes/benchmarks/boileau-bifurcation.yaml", NULL,
                    "inlet: {type: table, table: meshes/benchmarks/boileau2015/bifurcation-inflow.dat}\n"
                    "hemo: {p0: 9.5 kPa, t_end: 2.2 s}\n"));
  PetscCall(HavocTreeSpecDefault(&spec));
  spec.nvessels = 40;
  spec.nloops   = 4;
  spec.seed     = 7;
  PetscCall(HavocMeshGenerateTree(PETSC_COMM_WORLD, &spec, &tree));
  PetscCall(HavocMeshWriteString(tree, &text));
  PetscCall(Balance("40-vessel tree with 4 loops", "generated tree", text,
                    "inlet: {type: sine, value: 6.5 mL/s, amplitude: 4 mL/s, period: 0.8 s}\n"
                    "hemo: {p0: 12 kPa, t_end: 1.6 s}\n"));
  PetscCall(PetscFree(text));
  PetscCall(HavocMeshDestroy(&tree));
  PetscFunctionReturn(0);
}

VAL_MAIN("validation: conservation of mass in networks", Body)
