/* Validation: tissue damage on the default face map (docs/model.md, "Tissue"; solver/src/tissue.c), driven
   by given terminal flows (no hemodynamics):
   - total occlusion of the nasal tip territory: half of its skin is necrotic at 9 h +- 1.5 h (pig flap
     critical ischemia time, CIT50 about 9 h), and the forehead, perfused, has none;
   - total occlusion of the central retinal artery: the retina infarcts at 100 +- 10 min (Hayreh: no
     lasting damage up to 97-98 min, irreversible from 105 min);
      - half of the healthy flow to the nasal tip: no necrosis in 24 h;
      - a territory fed by two terminals (the alar terminal made to feed the nasal tip too, its end moved
     6 mm above the nasal tip's) with one of them occluded: the part of the territory nearer the occluded
     terminal dies, as a fine sampling of the outline finds it, within 5 % of the area. */
#include <string.h>

#include "tissue.h"
#include "valtest.h"

static PetscInt TerritoryIndex(HavocMesh mesh, const char name[])
{
  for (PetscInt r = 0; r < mesh->nterritories; r++)
    if (!strcmp(mesh->territories[r].name, name)) return r;
  return -1;
}

/* Runs the tissue for 24 h with the terminals of territory `name` at `fraction` of their healthy flow
   (every healthy flow 1e-9 m^3/s), and vessel `off` (if >= 0) without flow. */
static PetscErrorCode Run(HavocMesh mesh, const char name[], PetscReal fraction, PetscInt off, Tissue *out)
{
  Tissue     t;
  PetscBool  active;
  PetscReal *qh, *q;
  PetscInt   r = TerritoryIndex(mesh, name);

  PetscFunctionBeginUser;
  PetscCheck(r >= 0, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "no territory %s", name);
  PetscCall(PetscMalloc2(mesh->nvessels, &qh, mesh->nvessels, &q));
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    qh[i] = 1e-9;
    q[i]  = i == off ? 0 : mesh->vessels[i].territory_index == r ? fraction * qh[i]
                                                                 : qh[i];
  }
  PetscCall(HavocCaseLoadString(PETSC_COMM_WORLD, "tissue options", "tissue: {t_end: 24 h}\n"));
  PetscCall(TissueCreate(PETSC_COMM_WORLD, mesh, &t));
  PetscCall(TissueSetFromOptions(t, &active));
  PetscCall(TissueSetUp(t, qh));
  PetscCall(HavocCaseClear());
  PetscCall(TissueRun(t, q));
  PetscCall(PetscFree2(qh, q));
  *out = t;
  PetscFunctionReturn(0);
}

static PetscErrorCode Body(void)
{
  HavocMesh                    mesh;
  Tissue                       t;
  PetscInt                     nrep;
  const PetscReal             *times;
  const TissueTerritoryReport *rep;
  PetscInt                     tip, forehead, retina;
  DM                           da;
  PetscInt                     mx, my;

  PetscFunctionBeginUser;
  PetscCall(HavocMeshRead(PETSC_COMM_WORLD, "meshes/face/default.yaml", &mesh));
  tip      = TerritoryIndex(mesh, "nasal_tip_l");
  forehead = TerritoryIndex(mesh, "forehead_central_l");
  retina   = TerritoryIndex(mesh, "retina_l");

  PetscCall(Run(mesh, "nasal_tip_l", 0, -1, &t));
  PetscCall(TissueGetReports(t, &nrep, &times, &rep));
  PetscCall(TissueGetMap(t, &da, NULL, NULL));
  PetscCall(DMDAGetInfo(da, NULL, &mx, &my, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  printf("  face map %d x %d cells of 0.5 mm; nasal tip territory %.2f cm^2\n", (int)mx, (int)my, (double)(rep[tip].area * 1e4));
  for (PetscInt k = 0; k < nrep; k++)
    printf("  nasal tip occluded, %4.1f h: ischemic %.2f, at risk %.2f, necrotic %.2f cm^2\n", (double)(times[k] / 3600), (double)(rep[tip].ischemic[k] * 1e4), (double)(rep[tip].at_risk[k] * 1e4), (double)(rep[tip].necrotic[k] * 1e4));
  ValCheck((PetscBool)(PetscAbsReal(rep[tip].half_necrosis / 3600 - 9) <= 1.5), "total occlusion: half the nasal tip necrotic", "at %.2f h (9 +- 1.5 h; first necrotic cell at %.2f h)", (double)(rep[tip].half_necrosis / 3600), (double)(rep[tip].first_necrosis / 3600));
  ValCheck((PetscBool)(rep[forehead].necrotic[nrep - 1] == 0), "the perfused forehead", "necrotic %.2f cm^2 at 24 h (= 0)", (double)(rep[forehead].necrotic[nrep - 1] * 1e4));
  PetscCall(TissueDestroy(&t));

  PetscCall(Run(mesh, "retina_l", 0, -1, &t));
  PetscCall(TissueGetReports(t, &nrep, &times, &rep));
  ValCheck((PetscBool)(PetscAbsReal(rep[retina].first_necrosis / 60 - 100) <= 10), "central retinal occlusion: retina infarcted", "at %.1f min (100 +- 10 min)", (double)(rep[retina].first_necrosis / 60));
  PetscCall(TissueDestroy(&t));

  PetscCall(Run(mesh, "nasal_tip_l", 0.5, -1, &t));
  PetscCall(TissueGetReports(t, &nrep, &times, &rep));
  ValCheck((PetscBool)(rep[tip].necrotic[nrep - 1] == 0 && rep[tip].first_necrosis < 0), "half the flow to the nasal tip", "necrotic %.2f cm^2 at 24 h, at risk %.2f cm^2 (no necrosis)", (double)(rep[tip].necrotic[nrep - 1] * 1e4), (double)(rep[tip].at_risk[nrep - 1] * 1e4));
  PetscCall(TissueDestroy(&t));

  {
    PetscInt alar = -1, own = -1;
    for (PetscInt i = 0; i < mesh->nvessels; i++) {
      if (mesh->vessels[i].outlet_type < 0) continue;
      if (mesh->vessels[i].territory_index == TerritoryIndex(mesh, "ala_l")) alar = i;
      if (mesh->vessels[i].territory_index == tip) own = i;
    }
    PetscCheck(alar >= 0 && own >= 0, PETSC_COMM_WORLD, PETSC_ERR_PLIB, "no alar or nasal tip terminal");
    mesh->vessels[alar].territory_index = tip;
    {
      PetscReal *xa = mesh->nodes[mesh->vessels[alar].outlet_node].x, *xo = mesh->nodes[mesh->vessels[own].outlet_node].x;
      xa[0] = xo[0];
      xa[1] = xo[1] + 6e-3;
    }
    {
      PetscReal frac;
      PetscCall(Run(mesh, "nasal_tip_l", 1, own, &t));
      PetscCall(TissueGetReports(t, &nrep, &times, &rep));
      frac = rep[tip].necrotic[nrep - 1] / rep[tip].area;
      {
        /* the share of the outline nearer the occluded terminal's end, sampled every 20 um */
        const HavocMeshTerritory *tr = &mesh->territories[tip];
        const PetscReal          *pg = mesh->polygon + 2 * tr->polygon_offset, *xo = mesh->nodes[mesh->vessels[own].outlet_node].x, *xa = mesh->nodes[mesh->vessels[alar].outlet_node].x;
        PetscReal                 lo[2] = {1, 1}, hi[2] = {-1, -1}, in = 0, near = 0;
        for (PetscInt v = 0; v < tr->npolygon; v++)
          for (int d = 0; d < 2; d++)
            lo[d] = PetscMin(lo[d], pg[2 * v + d]), hi[d] = PetscMax(hi[d], pg[2 * v + d]);
        for (PetscReal y = lo[1]; y <= hi[1]; y += 20e-6)
          for (PetscReal x = lo[0]; x <= hi[0]; x += 20e-6) {
            PetscBool inside = PETSC_FALSE;
            for (PetscInt i = 0, j = tr->npolygon - 1; i < tr->npolygon; j = i++)
              if ((pg[2 * i + 1] > y) != (pg[2 * j + 1] > y) && x < (pg[2 * j] - pg[2 * i]) * (y - pg[2 * i + 1]) / (pg[2 * j + 1] - pg[2 * i + 1]) + pg[2 * i]) inside = (PetscBool)!inside;
            if (!inside) continue;
            in += 1;
            if (PetscSqr(x - xo[0]) + PetscSqr(y - xo[1]) < PetscSqr(x - xa[0]) + PetscSqr(y - xa[1])) near += 1;
          }
        ValCheck((PetscBool)(PetscAbsReal(frac - near / in) <= 0.05), "two terminals, one occluded: its part dies", "necrotic %.1f %% of %.2f cm^2; nearer the occluded terminal: %.1f %% of the outline (within 5 %%)", (double)(100 * frac), (double)(rep[tip].area * 1e4), (double)(100 * near / in));
      }
      PetscCall(TissueDestroy(&t));
    }
  }
  PetscCall(HavocMeshDestroy(&mesh));
  PetscFunctionReturn(0);
}

VAL_MAIN("validation: tissue damage on the face map (critical ischemia times of skin and retina)", Body)
