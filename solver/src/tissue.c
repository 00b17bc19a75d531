/* Tissue: the face map of the skin territories, compartments for the others, perfusion from the network's
   terminal flows, oxygen, and the damage of every cell over hours (tissue.h). */
#include "tissue.h"

#include <petscts.h>
#include "checkpoint.h"
#include "options.h"
#include "units.h"

#include <string.h>

const char *const TissueZones[] = {"normal", "ischemic", "at_risk", "necrotic", "TissueZone", "TISSUE_ZONE_", NULL};

#define MAX_REPORTS 8
#define NMAPS       7

static const char *const map_names[NMAPS] = {"territory", "perfusion_ratio", "po2", "toxic", "dead", "zone", "capillary_refill"};
static const char *const map_units[NMAPS] = {"1", "1", "Pa", "1", "1", "1", "s"};

struct _p_Tissue {
  MPI_Comm  comm;
  HavocMesh mesh;
  /* options */
  PetscReal dx, margin, t_end, dt, w_base, t_skin, t_retina, D_necrotic, ischemic_ratio, crt0, crt_max;
  PetscReal report[MAX_REPORTS];
  PetscInt  nreport;
  /* the map */
  DM           da;
  PetscReal    origin[2];
  Vec          terr; /* territory index of every cell, -1: no tissue */
  Vec          term; /* terminal vessel (mesh index) feeding every cell, -1: no tissue */
  Vec          P_healthy, P, V, T, D, ratio;
  Oxygen       o;
  OxygenParams o2;
  /* territories */
  PetscInt               nterr;
  PetscReal             *q_healthy;                /* [nterr] */
  PetscReal             *qv_healthy;               /* [nvessels] healthy flow of every terminal */
  PetscReal             *comp_T, *comp_D, *comp_V; /* [nterr] compartments */
  HavocDamage            damage[HAVOC_NTISSUES];
  TissueTerritoryReport *rep;
  PetscReal             *rep_mem;
  PetscReal             *maps[NMAPS]; /* [nreport][local cells] */
  /* the damage clock: a TS over the cells that can change (live), two unknowns each (T, D) */
  TS         ts;
  PetscInt  *live, nlive;
  PetscReal *live_V, *first, *cnt, *qt, t_prev;
  PetscInt  *live_terr;
  Vec        Y;           /* T, D of the live cells */
  PetscReal  now;         /* the damage clock [s] */
  PetscInt   next_report; /* the next report slot */
  PetscInt   nsteps;      /* steps of the clock so far */
  PetscBool  in_solve;    /* inside the TS's solve to the next stop */
  PetscBool  resume;      /* restored part-way through a solve: its time step is the TS's */
  /* checkpoints (TissueSetPause): called every PAUSE_STEPS steps, part-way through a solve */
  PetscErrorCode (*pause)(void *);
  void *pause_ctx;
};

#define PAUSE_STEPS 16

static PetscBool InPolygon(const PetscReal *xy, PetscInt n, PetscReal x, PetscReal y)
{
  PetscBool in = PETSC_FALSE;
  for (PetscInt i = 0, j = n - 1; i < n; j = i++) {
    const PetscReal xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
    if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = (PetscBool)!in;
  }
  return in;
}

PetscErrorCode TissueCreate(MPI_Comm comm, HavocMesh mesh, Tissue *out)
{
  Tissue t;

  PetscFunctionBeginUser;
  PetscCall(PetscNew(&t));
  t->comm           = comm;
  t->mesh           = mesh;
  t->dx             = 0.5e-3;
  t->margin         = 2e-3;
  t->t_end          = 0;
  t->dt             = 60;
  t->w_base         = 12.5e-6 / (1e-4 * 60); /* 12.5 mL per 100 g per min, tissue of 1 g/mL */
  t->t_skin         = 9 * 3600.0;
  t->t_retina       = 100 * 60.0;
  t->D_necrotic     = 0.8;
  t->ischemic_ratio = 0.5;
  t->crt0           = 2;
  t->crt_max        = 60;
  t->nreport        = 3;
  PetscCall(OxygenParamsDefault(&t->o2));
  t->report[0] = 3600;
  t->report[1] = 6 * 3600;
  t->report[2] = 24 * 3600;
  *out         = t;
  PetscFunctionReturn(0);
}

PetscErrorCode TissueSetFromOptions(Tissue t, PetscBool *active)
{
  PetscInt  n;
  PetscBool set;
  char      times[256] = "1 h, 6 h, 24 h";

  PetscFunctionBeginUser;
  PetscOptionsBegin(t->comm, "tissue_", "Tissue perfusion, oxygen and damage (docs/model.md, Tissue)", NULL);
  PetscCall(HavocOptionsQuantity("-t_end", "simulated time of the tissue after the occlusion (0: no tissue)", "s", t->t_end, &t->t_end, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-dx", "cell size of the face map", "m", t->dx, &t->dx, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-dt", "time step of the tissue damage", "s", t->dt, &t->dt, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-perfusion", "healthy skin perfusion (blood flow per tissue volume; 12.5 mL/100 g/min)", "s^-1", t->w_base, &t->w_base, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-skin_necrosis_time", "total ischemia time that kills skin (dead fraction -tissue_necrotic_fraction; pig flap CIT50 9 h)", "s", t->t_skin, &t->t_skin, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-retina_infarct_time", "total ischemia time that infarcts the retina (Hayreh: about 100 min)", "s", t->t_retina, &t->t_retina, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-necrotic_fraction", "dead fraction above which a cell is necrotic", "", t->D_necrotic, &t->D_necrotic, NULL, HAVOC_POSITIVE, 1));
  PetscCall(HavocOptionsQuantity("-ischemic_ratio", "perfusion ratio below which a cell is ischemic", "", t->ischemic_ratio, &t->ischemic_ratio, NULL, 0, 1));
  PetscCall(HavocOptionsQuantity("-capillary_refill", "capillary refill time of healthy skin (the estimate is this over the perfusion ratio)", "s", t->crt0, &t->crt0, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-capillary_refill_max", "capillary refill time reported for skin that does not refill", "s", t->crt_max, &t->crt_max, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(PetscOptionsString("-report_times", "times of the area reports, a list of times with their unit, e.g. '1 h, 6 h, 24 h' [s] (later ones than -tissue_t_end are dropped, the end is added)", NULL, times, times, sizeof(times), &set));
  PetscOptionsEnd();
  if (set) {
    char *item = times, *comma;
    n          = 0;
    while (item && *item) {
      char err[256];
      comma = strchr(item, ',');
      if (comma) *comma = 0;
      HavocCheckUser(n < MAX_REPORTS, t->comm, "option -tissue_report_times: at most %d times", MAX_REPORTS);
      HavocCheckUser(!HavocQuantityParse(item, "s", "s", &t->report[n], err, sizeof(err)), t->comm, "option -tissue_report_times: '%s': %s", item, err);
      HavocCheckUser(t->report[n] > 0, t->comm, "option -tissue_report_times: '%s' must be > 0", item);
      n++;
      item = comma ? comma + 1 : NULL;
    }
    t->nreport = n;
  }
  PetscCall(OxygenParamsSetFromOptions(t->comm, &t->o2));
  PetscCall(TSCreate(t->comm, &t->ts));
  PetscCall(TSSetOptionsPrefix(t->ts, "tissue_"));
  PetscCall(TSSetProblemType(t->ts, TS_NONLINEAR));
  PetscCall(TSSetType(t->ts, TSEULER));
  PetscCall(TSSetExactFinalTime(t->ts, TS_EXACTFINALTIME_MATCHSTEP));
  PetscCall(TSSetMaxSteps(t->ts, PETSC_MAX_INT));
  {
    /* -tissue_ts_* (e.g. -tissue_ts_monitor) are read here, with the other options, but not listed by
       -help: PETSc's own TS, SNES and KSP options would bury havoc's */
    PetscBool help;
    PetscCall(PetscOptionsHasHelp(NULL, &help));
    if (!help) PetscCall(TSSetFromOptions(t->ts));
  }
  *active = (PetscBool)(t->t_end > 0);
  HavocCheckUser(!*active || !t->mesh || t->mesh->nterritories > 0, t->comm, "%s: the tissue needs territories (a 'territories' section) in the network file", t->mesh ? t->mesh->path : "");
  PetscFunctionReturn(0);
}

/* Every map cell to one terminal of its territory: the one whose terminal node (in the frontal plane) is
   nearest, distances divided by the square root of the terminal's healthy flow (a multiplicatively
   weighted Voronoi partition: a terminal with more flow perfuses more skin). */
static PetscErrorCode AssignTerminals(Tissue t)
{
  HavocMesh          mesh = t->mesh;
  const PetscScalar *a;
  PetscScalar       *term;
  DMDALocalInfo      info;

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(t->da, &info));
  PetscCall(VecGetArrayRead(t->terr, &a));
  PetscCall(VecGetArray(t->term, &term));
  for (PetscInt j = info.ys, c = 0; j < info.ys + info.ym; j++)
    for (PetscInt i = info.xs; i < info.xs + info.xm; i++, c++) {
      const PetscReal x = t->origin[0] + (i + 0.5) * t->dx, y = t->origin[1] + (j + 0.5) * t->dx;
      PetscReal       best = PETSC_MAX_REAL;
      term[c]              = -1;
      if (a[c] < 0) continue;
      for (PetscInt v = 0; v < mesh->nvessels; v++) {
        const HavocMeshVessel *mv = &mesh->vessels[v];
        const PetscReal       *xn;
        PetscReal              d;
        if (mv->outlet_type < 0 || mv->territory_index != (PetscInt)a[c] || mv->outlet_node < 0) continue;
        xn = mesh->nodes[mv->outlet_node].x;
        d  = PetscSqrtReal((x - xn[0]) * (x - xn[0]) + (y - xn[1]) * (y - xn[1])) / PetscSqrtReal(PetscMax(t->qv_healthy[v], PETSC_SMALL));
        if (d < best) best = d, term[c] = v;
      }
    }
  PetscCall(VecRestoreArrayRead(t->terr, &a));
  PetscCall(VecRestoreArray(t->term, &term));
  PetscFunctionReturn(0);
}

PetscErrorCode TissueSetUp(Tissue t, const PetscReal q_healthy[])
{
  HavocMesh mesh  = t->mesh;
  PetscReal lo[2] = {PETSC_MAX_REAL, PETSC_MAX_REAL}, hi[2] = {-PETSC_MAX_REAL, -PETSC_MAX_REAL};
  PetscInt  npoly = 0, k = 0;

  PetscFunctionBeginUser;
  t->nterr = mesh->nterritories;
  HavocCheckUser(t->nterr > 0, t->comm, "%s: the tissue needs territories (a 'territories' section) in the network file", mesh->path);
  /* the report times up to the end, and the end */
  for (PetscInt i = 0; i < t->nreport; i++)
    if (t->report[i] > 0 && t->report[i] < t->t_end * (1 - 1e-12)) t->report[k++] = t->report[i];
  t->report[k++] = t->t_end;
  t->nreport     = k;
  /* the box of the outlines */
  for (PetscInt i = 0; i < t->nterr; i++) {
    const HavocMeshTerritory *tr = &mesh->territories[i];
    for (PetscInt v = 0; v < tr->npolygon; v++)
      for (int d = 0; d < 2; d++) {
        lo[d] = PetscMin(lo[d], mesh->polygon[2 * (tr->polygon_offset + v) + d]);
        hi[d] = PetscMax(hi[d], mesh->polygon[2 * (tr->polygon_offset + v) + d]);
      }
    npoly += tr->npolygon > 0;
  }
  if (!npoly) lo[0] = lo[1] = hi[0] = hi[1] = 0;
  t->origin[0] = lo[0] - t->margin;
  t->origin[1] = lo[1] - t->margin;
  PetscCall(DMDACreate2d(t->comm, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, PetscMax((PetscInt)PetscCeilReal((hi[0] - lo[0] + 2 * t->margin) / t->dx), 1), PetscMax((PetscInt)PetscCeilReal((hi[1] - lo[1] + 2 * t->margin) / t->dx), 1), PETSC_DECIDE, PETSC_DECIDE, 1, 1, NULL, NULL, &t->da));
  PetscCall(DMSetUp(t->da));
  PetscCall(DMCreateGlobalVector(t->da, &t->terr));
  PetscCall(VecDuplicate(t->terr, &t->term));
  PetscCall(VecDuplicate(t->terr, &t->P_healthy));
  PetscCall(VecDuplicate(t->terr, &t->P));
  PetscCall(VecDuplicate(t->terr, &t->V));
  PetscCall(VecDuplicate(t->terr, &t->T));
  PetscCall(VecDuplicate(t->terr, &t->D));
  PetscCall(VecDuplicate(t->terr, &t->ratio));
  PetscCall(OxygenCreate(t->da, t->dx, t->dx, &t->o));
  PetscCall(OxygenSetParams(t->o, &t->o2));
  {
    PetscScalar **a, **kind;
    Vec           kv;
    DMDALocalInfo info;
    PetscCall(OxygenGetFields(t->o, &kv, NULL, NULL));
    PetscCall(DMDAGetLocalInfo(t->da, &info));
    PetscCall(DMDAVecGetArray(t->da, t->terr, &a));
    PetscCall(DMDAVecGetArray(t->da, kv, &kind));
    for (PetscInt j = info.ys; j < info.ys + info.ym; j++)
      for (PetscInt i = info.xs; i < info.xs + info.xm; i++) {
        const PetscReal x = t->origin[0] + (i + 0.5) * t->dx, y = t->origin[1] + (j + 0.5) * t->dx;
        a[j][i] = -1;
        for (PetscInt r = 0; r < t->nterr && a[j][i] < 0; r++) {
          const HavocMeshTerritory *tr = &mesh->territories[r];
          if (tr->npolygon >= 3 && InPolygon(mesh->polygon + 2 * tr->polygon_offset, tr->npolygon, x, y)) a[j][i] = r;
        }
        kind[j][i] = a[j][i] >= 0 ? OXYGEN_TISSUE : OXYGEN_OUTSIDE;
      }
    PetscCall(DMDAVecRestoreArray(t->da, t->terr, &a));
    PetscCall(DMDAVecRestoreArray(t->da, kv, &kind));
  }
  /* the territories: healthy flows, areas, reports */
  PetscCall(PetscCalloc5(t->nterr, &t->q_healthy, t->nterr, &t->comp_T, t->nterr, &t->comp_D, t->nterr, &t->comp_V, t->nterr, &t->rep));
  PetscCall(PetscCalloc1(3 * t->nterr * t->nreport, &t->rep_mem));
  PetscCall(PetscCalloc3(t->nterr, &t->first, t->nterr, &t->cnt, t->nterr, &t->qt));
  {
    PetscInt n;
    PetscCall(VecGetLocalSize(t->terr, &n));
    for (PetscInt m = 0; m < NMAPS; m++)
      PetscCall(PetscMalloc1(t->nreport * n + 1, &t->maps[m]));
  }
  PetscCall(PetscCalloc1(mesh->nvessels, &t->qv_healthy));
  for (PetscInt i = 0; i < mesh->nvessels; i++)
    if (mesh->vessels[i].outlet_type >= 0 && mesh->vessels[i].territory_index >= 0) {
      t->qv_healthy[i] = PetscAbsReal(q_healthy[i]);
      t->q_healthy[mesh->vessels[i].territory_index] += t->qv_healthy[i];
    }
  PetscCall(AssignTerminals(t));
  for (PetscInt r = 0; r < t->nterr; r++) {
    t->rep[r].ischemic       = t->rep_mem + (3 * r + 0) * t->nreport;
    t->rep[r].at_risk        = t->rep_mem + (3 * r + 1) * t->nreport;
    t->rep[r].necrotic       = t->rep_mem + (3 * r + 2) * t->nreport;
    t->rep[r].compartment    = (PetscBool)(mesh->territories[r].npolygon < 3);
    t->rep[r].first_necrosis = -1;
  }
  {
    const PetscScalar *a;
    PetscInt           n;
    PetscReal         *cells;
    PetscCall(PetscCalloc1(t->nterr, &cells));
    PetscCall(VecGetLocalSize(t->terr, &n));
    PetscCall(VecGetArrayRead(t->terr, &a));
    for (PetscInt c = 0; c < n; c++)
      if (a[c] >= 0) cells[(PetscInt)a[c]] += 1;
    PetscCall(VecRestoreArrayRead(t->terr, &a));
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, cells, (PetscMPIInt)t->nterr, MPIU_REAL, MPIU_SUM, t->comm));
    for (PetscInt r = 0; r < t->nterr; r++) {
      t->rep[r].area = cells[r] * t->dx * t->dx;
      if (!t->rep[r].compartment && cells[r] == 0) t->rep[r].compartment = PETSC_TRUE; /* an outline smaller than a cell */
    }
    PetscCall(PetscFree(cells));
  }
  /* damage rates per tissue: skin (and what has no rate of its own) from the skin time, the retina,
     choroid and brain from the retina's */
  for (PetscInt k2 = 0; k2 < HAVOC_NTISSUES; k2++) {
    const PetscBool neural = (PetscBool)(k2 == HAVOC_TISSUE_RETINA || k2 == HAVOC_TISSUE_CHOROID || k2 == HAVOC_TISSUE_BRAIN);
    HavocDamageDefaults(&t->damage[k2]);
    PetscCall(HavocDamageCalibrate(&t->damage[k2], neural ? t->t_retina : t->t_skin, t->D_necrotic, &t->damage[k2].scale));
  }
  PetscFunctionReturn(0);
}

static TissueZone Zone(const Tissue t, const HavocDamage *d, PetscReal ratio, PetscReal T, PetscReal D)
{
  if (D > t->D_necrotic) return TISSUE_ZONE_NECROTIC;
  if (T > d->Td) return TISSUE_ZONE_AT_RISK;
  if (ratio < t->ischemic_ratio) return TISSUE_ZONE_ISCHEMIC;
  return TISSUE_ZONE_NORMAL;
}

/* The areas of each zone of every territory now, into report slot k. */
static PetscErrorCode Report(Tissue t, PetscInt k)
{
  const PetscScalar *a, *T, *D, *ratio, *P;
  PetscInt           n;
  PetscReal         *cnt;

  PetscFunctionBeginUser;
  PetscCall(PetscCalloc1(3 * t->nterr, &cnt));
  PetscCall(VecGetLocalSize(t->terr, &n));
  PetscCall(VecGetArrayRead(t->terr, &a));
  PetscCall(VecGetArrayRead(t->T, &T));
  PetscCall(VecGetArrayRead(t->D, &D));
  PetscCall(VecGetArrayRead(t->ratio, &ratio));
  PetscCall(VecGetArrayRead(t->P, &P));
  for (PetscInt c = 0; c < n; c++) {
    const PetscInt r = (PetscInt)a[c];
    TissueZone     z;
    PetscReal     *m[NMAPS];
    for (PetscInt q = 0; q < NMAPS; q++)
      m[q] = t->maps[q] + k * n + c;
    *m[0] = r;
    *m[1] = ratio[c];
    *m[2] = P[c];
    *m[3] = T[c];
    *m[4] = D[c];
    *m[5] = TISSUE_ZONE_NONE;
    *m[6] = -1;
    if (r < 0) continue;
    z     = Zone(t, &t->damage[t->mesh->territories[r].tissue], ratio[c], T[c], D[c]);
    *m[5] = z;
    *m[6] = PetscMin(t->crt0 / PetscMax(ratio[c], PETSC_SMALL), t->crt_max);
    if (z == TISSUE_ZONE_NECROTIC) cnt[3 * r + 2] += 1;
    if (z == TISSUE_ZONE_AT_RISK) cnt[3 * r + 1] += 1;
    if (z == TISSUE_ZONE_ISCHEMIC || z == TISSUE_ZONE_AT_RISK) cnt[3 * r] += 1;
  }
  PetscCall(VecRestoreArrayRead(t->terr, &a));
  PetscCall(VecRestoreArrayRead(t->T, &T));
  PetscCall(VecRestoreArrayRead(t->D, &D));
  PetscCall(VecRestoreArrayRead(t->ratio, &ratio));
  PetscCall(VecRestoreArrayRead(t->P, &P));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, cnt, (PetscMPIInt)(3 * t->nterr), MPIU_REAL, MPIU_SUM, t->comm));
  for (PetscInt r = 0; r < t->nterr; r++) {
    TissueTerritoryReport *rp = &t->rep[r];
    if (rp->compartment) {
      const TissueZone z = Zone(t, &t->damage[t->mesh->territories[r].tissue], rp->ratio, t->comp_T[r], t->comp_D[r]);
      rp->ischemic[k]    = z == TISSUE_ZONE_ISCHEMIC || z == TISSUE_ZONE_AT_RISK;
      rp->at_risk[k]     = z == TISSUE_ZONE_AT_RISK;
      rp->necrotic[k]    = z == TISSUE_ZONE_NECROTIC;
    } else {
      rp->ischemic[k] = cnt[3 * r] * t->dx * t->dx;
      rp->at_risk[k]  = cnt[3 * r + 1] * t->dx * t->dx;
      rp->necrotic[k] = cnt[3 * r + 2] * t->dx * t->dx;
    }
  }
  PetscCall(PetscFree(cnt));
  PetscFunctionReturn(0);
}

/* The TS's right-hand side: the increment of the exact step (damage.h) over the TS's step h, divided by
   h. The TS takes forward Euler steps (its default), so that a step of the TS is exactly that step; the
   damage model's T equation is stiff and the exact step is stable and accurate for any h. */
static PetscErrorCode DamageRHS(TS ts, PetscReal time, Vec Y, Vec F, void *ctx)
{
  Tissue             t = (Tissue)ctx;
  const PetscScalar *y;
  PetscScalar       *f;
  PetscReal          h;

  PetscFunctionBeginUser;
  (void)time;
  PetscCall(TSGetTimeStep(ts, &h));
  PetscCall(VecGetArrayRead(Y, &y));
  PetscCall(VecGetArray(F, &f));
  for (PetscInt l = 0; l < t->nlive; l++) {
    PetscReal T = y[2 * l], D = y[2 * l + 1];
    HavocDamageStep(&t->damage[t->mesh->territories[t->live_terr[l]].tissue], t->live_V[l], h, &T, &D);
    f[2 * l]     = (T - y[2 * l]) / h;
    f[2 * l + 1] = (D - y[2 * l + 1]) / h;
  }
  PetscCall(VecRestoreArrayRead(Y, &y));
  PetscCall(VecRestoreArray(F, &f));
  PetscFunctionReturn(0);
}

/* After every step: the compartments over the same step, the first necrotic cell of every territory and
   the time half of it is necrotic. */
static PetscErrorCode DamagePostStep(TS ts)
{
  Tissue             t;
  PetscReal          time, h;
  Vec                Y;
  const PetscScalar *y;

  PetscFunctionBeginUser;
  PetscCall(TSGetApplicationContext(ts, &t));
  PetscCall(TSGetTime(ts, &time));
  PetscCall(TSGetSolution(ts, &Y));
  h         = time - t->t_prev;
  t->t_prev = time;
  PetscCall(PetscArrayzero(t->cnt, t->nterr));
  PetscCall(VecGetArrayRead(Y, &y));
  for (PetscInt l = 0; l < t->nlive; l++)
    if (y[2 * l + 1] > t->D_necrotic) {
      const PetscInt r = t->live_terr[l];
      t->cnt[r] += 1;
      if (t->first[r] == PETSC_MAX_REAL) t->first[r] = time;
    }
  PetscCall(VecRestoreArrayRead(Y, &y));
  for (PetscInt r = 0; r < t->nterr; r++) {
    if (!t->rep[r].compartment) continue;
    HavocDamageStep(&t->damage[t->mesh->territories[r].tissue], t->comp_V[r], h, &t->comp_T[r], &t->comp_D[r]);
    if (t->comp_D[r] > t->D_necrotic && t->first[r] == PETSC_MAX_REAL) t->first[r] = time;
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, t->cnt, (PetscMPIInt)t->nterr, MPIU_REAL, MPIU_SUM, t->comm));
  for (PetscInt r = 0; r < t->nterr; r++) {
    TissueTerritoryReport *rp   = &t->rep[r];
    const PetscBool        half = rp->compartment ? (PetscBool)(t->comp_D[r] > t->D_necrotic) : (PetscBool)(2 * t->cnt[r] * t->dx * t->dx >= rp->area && rp->area > 0);
    if (half && rp->half_necrosis < 0) rp->half_necrosis = time;
  }
  if (++t->nsteps % PAUSE_STEPS == 0 && t->pause) {
    /* not at the last step to the stop: a restart then continues the same solve with the same steps */
    PetscReal tmax;
    PetscCall(TSGetMaxTime(ts, &tmax));
    PetscCall(TSGetTimeStep(ts, &h));
    if (time + 0.5 * h < tmax) PetscCall(t->pause(t->pause_ctx));
  }
  PetscFunctionReturn(0);
}

/* Perfusion ratios of the territories and the cells from the flows q, the oxygen of the map for them and
   every cell's and compartment's vulnerability. */
static PetscErrorCode Perfusion(Tissue t, const PetscReal q[])
{
  HavocMesh          mesh = t->mesh;
  Vec                wv;
  PetscInt           n;
  PetscScalar       *w, *rc, *V;
  const PetscScalar *a, *term, *P, *Ph;

  PetscFunctionBeginUser;
  PetscCall(PetscArrayzero(t->qt, t->nterr));
  for (PetscInt i = 0; i < mesh->nvessels; i++)
    if (mesh->vessels[i].outlet_type >= 0 && mesh->vessels[i].territory_index >= 0) t->qt[mesh->vessels[i].territory_index] += PetscMax(q[i], 0);
  for (PetscInt r = 0; r < t->nterr; r++) {
    t->rep[r].ratio = t->q_healthy[r] > 0 ? t->qt[r] / t->q_healthy[r] : 1;
    t->comp_V[r]    = PetscMin(PetscMax(1 - t->rep[r].ratio, 0), 1);
  }
  PetscCall(OxygenGetFields(t->o, NULL, &wv, NULL));
  PetscCall(VecGetLocalSize(t->terr, &n));
  PetscCall(VecGetArrayRead(t->terr, &a));
  PetscCall(VecGetArrayRead(t->term, &term));
  PetscCall(VecGetArray(wv, &w));
  PetscCall(VecGetArray(t->ratio, &rc));
  for (PetscInt c = 0; c < n; c++) {
    const PetscInt i = (PetscInt)term[c];
    rc[c]            = a[c] < 0 ? 1 : i >= 0 ? (t->qv_healthy[i] > 0 ? PetscMax(q[i], 0) / t->qv_healthy[i] : 1)
                                             : t->rep[(PetscInt)a[c]].ratio;
    w[c]             = a[c] >= 0 ? t->w_base * rc[c] : 0;
  }
  PetscCall(VecRestoreArray(t->ratio, &rc));
  PetscCall(VecRestoreArray(wv, &w));
  PetscCall(VecRestoreArrayRead(t->term, &term));
  PetscCall(VecRestoreArrayRead(t->terr, &a));
  PetscCall(OxygenSolve(t->o, t->P));
  /* the vulnerability of a cell is its relative oxygen deficit */
  PetscCall(VecGetArrayRead(t->P, &P));
  PetscCall(VecGetArrayRead(t->P_healthy, &Ph));
  PetscCall(VecGetArray(t->V, &V));
  for (PetscInt c = 0; c < n; c++)
    V[c] = Ph[c] > 0 ? PetscMin(PetscMax(1 - P[c] / Ph[c], 0), 1) : 0;
  PetscCall(VecRestoreArrayRead(t->P, &P));
  PetscCall(VecRestoreArrayRead(t->P_healthy, &Ph));
  PetscCall(VecRestoreArray(t->V, &V));
  PetscFunctionReturn(0);
}

/* The TS's state (T, D of the live cells) back into the maps. */
static PetscErrorCode LiveToMaps(Tissue t)
{
  const PetscScalar *y;
  PetscScalar       *T, *D;

  PetscFunctionBeginUser;
  if (!t->Y) PetscFunctionReturn(0);
  PetscCall(VecGetArrayRead(t->Y, &y));
  PetscCall(VecGetArray(t->T, &T));
  PetscCall(VecGetArray(t->D, &D));
  for (PetscInt l = 0; l < t->nlive; l++) {
    T[t->live[l]] = y[2 * l];
    D[t->live[l]] = y[2 * l + 1];
  }
  PetscCall(VecRestoreArrayRead(t->Y, &y));
  PetscCall(VecRestoreArray(t->T, &T));
  PetscCall(VecRestoreArray(t->D, &D));
  PetscFunctionReturn(0);
}

/* A new number of unknowns: the TS starts afresh from time now. */
static PetscErrorCode LiveTS(Tissue t, PetscReal now)
{
  PetscFunctionBeginUser;
  PetscCall(TSReset(t->ts));
  PetscCall(TSSetRHSFunction(t->ts, NULL, DamageRHS, t));
  PetscCall(TSSetPostStep(t->ts, DamagePostStep));
  PetscCall(TSSetApplicationContext(t->ts, t));
  PetscCall(TSSetTime(t->ts, now));
  t->t_prev = now;
  PetscFunctionReturn(0);
}

/* The cells that can change (vulnerable now, or carrying toxic load or dead tissue from before: a cell
   with V = 0 and T = D = 0 stays so) become the TS's unknowns, two each, from the maps. */
static PetscErrorCode LiveFromMaps(Tissue t)
{
  PetscInt           n;
  const PetscScalar *a, *V, *T, *D;
  PetscScalar       *y;

  PetscFunctionBeginUser;
  PetscCall(VecGetLocalSize(t->terr, &n));
  PetscCall(VecGetArrayRead(t->terr, &a));
  PetscCall(VecGetArrayRead(t->V, &V));
  PetscCall(VecGetArrayRead(t->T, &T));
  PetscCall(VecGetArrayRead(t->D, &D));
  t->nlive = 0;
  for (PetscInt c = 0; c < n; c++)
    if (a[c] >= 0 && (V[c] > 0 || T[c] > 0 || D[c] > 0)) t->live[t->nlive++] = c;
  PetscCall(VecDestroy(&t->Y));
  PetscCall(VecCreateMPI(t->comm, 2 * t->nlive, PETSC_DETERMINE, &t->Y));
  PetscCall(VecGetArray(t->Y, &y));
  for (PetscInt l = 0; l < t->nlive; l++) {
    const PetscInt c = t->live[l];
    t->live_V[l]     = V[c];
    t->live_terr[l]  = (PetscInt)a[c];
    y[2 * l]         = T[c];
    y[2 * l + 1]     = D[c];
  }
  PetscCall(VecRestoreArray(t->Y, &y));
  PetscCall(VecRestoreArrayRead(t->terr, &a));
  PetscCall(VecRestoreArrayRead(t->V, &V));
  PetscCall(VecRestoreArrayRead(t->T, &T));
  PetscCall(VecRestoreArrayRead(t->D, &D));
  PetscCall(LiveTS(t, t->now));
  PetscFunctionReturn(0);
}

PetscErrorCode TissueBegin(Tissue t, const PetscReal q[])
{
  PetscInt n;

  PetscFunctionBeginUser;
  PetscCall(VecGetLocalSize(t->terr, &n));
  PetscCall(PetscFree3(t->live, t->live_V, t->live_terr));
  PetscCall(PetscMalloc3(n + 1, &t->live, n + 1, &t->live_V, n + 1, &t->live_terr));
  for (PetscInt r = 0; r < t->nterr; r++) {
    t->comp_T[r] = t->comp_D[r] = 0;
    t->first[r]                 = PETSC_MAX_REAL;
    t->rep[r].half_necrosis     = -1;
    t->rep[r].first_necrosis    = -1;
  }
  /* the healthy oxygen, the reference of every cell's deficit */
  {
    Vec                wv;
    PetscScalar       *w, *rc;
    const PetscScalar *a;
    PetscCall(OxygenGetFields(t->o, NULL, &wv, NULL));
    PetscCall(VecGetArrayRead(t->terr, &a));
    PetscCall(VecGetArray(wv, &w));
    PetscCall(VecGetArray(t->ratio, &rc));
    for (PetscInt c = 0; c < n; c++) {
      rc[c] = 1;
      w[c]  = a[c] >= 0 ? t->w_base : 0;
    }
    PetscCall(VecRestoreArray(t->ratio, &rc));
    PetscCall(VecRestoreArray(wv, &w));
    PetscCall(VecRestoreArrayRead(t->terr, &a));
    PetscCall(VecSet(t->P_healthy, 0.5 * t->o2.P_a));
    PetscCall(OxygenSolve(t->o, t->P_healthy));
    PetscCall(VecCopy(t->P_healthy, t->P));
  }
  PetscCall(VecSet(t->T, 0));
  PetscCall(VecSet(t->D, 0));
  t->now         = 0;
  t->next_report = 0;
  t->nsteps      = 0;
  PetscCall(Perfusion(t, q));
  PetscCall(LiveFromMaps(t));
  PetscFunctionReturn(0);
}

PetscErrorCode TissueSetFlows(Tissue t, const PetscReal q[])
{
  PetscFunctionBeginUser;
  PetscCall(LiveToMaps(t));
  PetscCall(Perfusion(t, q));
  PetscCall(LiveFromMaps(t));
  PetscFunctionReturn(0);
}

PetscErrorCode TissueAdvance(Tissue t, PetscReal t_to)
{
  PetscFunctionBeginUser;
  t_to = PetscMin(t_to, t->t_end);
  while (t->now < t_to) {
    const PetscBool report = (PetscBool)(t->next_report < t->nreport && t->report[t->next_report] <= t_to);
    const PetscReal next   = report ? t->report[t->next_report] : t_to;
    if (next > t->now) {
      if (!t->resume) PetscCall(TSSetTimeStep(t->ts, PetscMin(t->dt, next - t->now)));
      t->resume = PETSC_FALSE;
      PetscCall(TSSetMaxTime(t->ts, next));
      t->in_solve = PETSC_TRUE;
      PetscCall(TSSolve(t->ts, t->Y));
      t->in_solve = PETSC_FALSE;
      t->now      = next;
    }
    if (report) {
      PetscCall(LiveToMaps(t));
      PetscCall(Report(t, t->next_report++));
    }
  }
  PetscFunctionReturn(0);
}

PetscErrorCode TissueEnd(Tissue t)
{
  PetscFunctionBeginUser;
  PetscCall(TissueAdvance(t, t->t_end));
  PetscCall(LiveToMaps(t));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, t->first, (PetscMPIInt)t->nterr, MPIU_REAL, MPIU_MIN, t->comm));
  for (PetscInt r = 0; r < t->nterr; r++)
    t->rep[r].first_necrosis = t->first[r] < PETSC_MAX_REAL ? t->first[r] : -1;
  PetscCall(VecDestroy(&t->Y));
  PetscFunctionReturn(0);
}

PetscErrorCode TissueRun(Tissue t, const PetscReal q[])
{
  PetscFunctionBeginUser;
  PetscCall(TissueBegin(t, q));
  PetscCall(TissueEnd(t));
  PetscFunctionReturn(0);
}

PetscErrorCode TissueSetPause(Tissue t, PetscErrorCode (*pause)(void *), void *ctx)
{
  PetscFunctionBeginUser;
  t->pause     = pause;
  t->pause_ctx = ctx;
  PetscFunctionReturn(0);
}

PetscErrorCode TissueGetTime(Tissue t, PetscReal *now, PetscInt *steps)
{
  PetscFunctionBeginUser;
  if (now) {
    if (t->in_solve || t->resume) PetscCall(TSGetTime(t->ts, now));
    else *now = t->now;
  }
  if (steps) *steps = t->nsteps;
  PetscFunctionReturn(0);
}

typedef struct {
  PetscReal now, t_prev, ts_time, ts_dt;
  PetscInt  next_report, nsteps, nlive, in_solve;
} TissueScalars;

/* The clock's state, written or read in the same order: after TissueBegin, between two steps. */
PetscErrorCode TissueCheckpoint(Tissue t, HavocCheckpoint ck, PetscBool write)
{
  static const char *const vec_names[] = {"tissue.T", "tissue.D", "tissue.V", "tissue.ratio", "tissue.P"};
  Vec                      vecs[]      = {t->T, t->D, t->V, t->ratio, t->P};
  PetscReal               *reps;
  TissueScalars            sc;
  PetscInt                 n;
  PetscScalar             *a;

  PetscFunctionBeginUser;
  PetscCheck(t->Y, t->comm, PETSC_ERR_ARG_WRONGSTATE, "a tissue checkpoint needs the clock running (after TissueBegin, before TissueEnd)");
  PetscCall(PetscMemzero(&sc, sizeof(sc)));
  sc.now = t->now, sc.t_prev = t->t_prev, sc.next_report = t->next_report, sc.nsteps = t->nsteps, sc.nlive = t->nlive, sc.in_solve = t->in_solve;
  PetscCall(TSGetTime(t->ts, &sc.ts_time));
  PetscCall(TSGetTimeStep(t->ts, &sc.ts_dt));
  PetscCall(HavocCheckpointRecord(ck, write, "tissue.scalars", &sc, sizeof(sc)));
  PetscCall(VecGetLocalSize(t->terr, &n));
  for (PetscInt k = 0; k < 5; k++) {
    PetscCall(VecGetArray(vecs[k], &a));
    PetscCall(HavocCheckpointRecord(ck, write, vec_names[k], a, (size_t)n * sizeof(PetscScalar)));
    PetscCall(VecRestoreArray(vecs[k], &a));
  }
  PetscCall(HavocCheckpointRecord(ck, write, "tissue.comp_T", t->comp_T, (size_t)t->nterr * sizeof(PetscReal)));
  PetscCall(HavocCheckpointRecord(ck, write, "tissue.comp_D", t->comp_D, (size_t)t->nterr * sizeof(PetscReal)));
  PetscCall(HavocCheckpointRecord(ck, write, "tissue.comp_V", t->comp_V, (size_t)t->nterr * sizeof(PetscReal)));
  PetscCall(HavocCheckpointRecord(ck, write, "tissue.first", t->first, (size_t)t->nterr * sizeof(PetscReal)));
  PetscCall(HavocCheckpointRecord(ck, write, "tissue.reports", t->rep_mem, (size_t)(3 * t->nterr * t->nreport) * sizeof(PetscReal)));
  for (PetscInt m = 0; m < NMAPS; m++)
    PetscCall(HavocCheckpointRecord(ck, write, map_names[m], t->maps[m], (size_t)(t->nreport * n) * sizeof(PetscReal)));
  PetscCall(PetscMalloc1(2 * t->nterr, &reps));
  for (PetscInt r = 0; r < t->nterr; r++)
    reps[2 * r] = t->rep[r].ratio, reps[2 * r + 1] = t->rep[r].half_necrosis;
  PetscCall(HavocCheckpointRecord(ck, write, "tissue.territories", reps, (size_t)(2 * t->nterr) * sizeof(PetscReal)));
  for (PetscInt r = 0; r < t->nterr; r++)
    t->rep[r].ratio = reps[2 * r], t->rep[r].half_necrosis = reps[2 * r + 1];
  PetscCall(PetscFree(reps));
  /* the live cells and their unknowns */
  if (!write) {
    const PetscScalar *terr, *V;
    PetscCheck(sc.nlive >= 0 && sc.nlive <= n, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "tissue checkpoint: %" PetscInt_FMT " live cells of %" PetscInt_FMT, sc.nlive, n);
    t->nlive = sc.nlive;
    PetscCall(HavocCheckpointRecord(ck, write, "tissue.live", t->live, (size_t)t->nlive * sizeof(PetscInt)));
    PetscCall(VecGetArrayRead(t->terr, &terr));
    PetscCall(VecGetArrayRead(t->V, &V));
    for (PetscInt l = 0; l < t->nlive; l++) {
      PetscCheck(t->live[l] >= 0 && t->live[l] < n, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "tissue checkpoint: live cell %" PetscInt_FMT " out of range", t->live[l]);
      t->live_V[l]    = V[t->live[l]];
      t->live_terr[l] = (PetscInt)terr[t->live[l]];
    }
    PetscCall(VecRestoreArrayRead(t->terr, &terr));
    PetscCall(VecRestoreArrayRead(t->V, &V));
    PetscCall(VecDestroy(&t->Y));
    PetscCall(VecCreateMPI(t->comm, 2 * t->nlive, PETSC_DETERMINE, &t->Y));
    PetscCall(LiveTS(t, sc.ts_time));
    PetscCall(TSSetTimeStep(t->ts, sc.ts_dt));
    t->now         = sc.now;
    t->t_prev      = sc.t_prev;
    t->next_report = sc.next_report;
    t->nsteps      = sc.nsteps;
    t->resume      = (PetscBool)sc.in_solve;
  } else PetscCall(HavocCheckpointRecord(ck, write, "tissue.live", t->live, (size_t)t->nlive * sizeof(PetscInt)));
  PetscCall(VecGetArray(t->Y, &a));
  PetscCall(HavocCheckpointRecord(ck, write, "tissue.Y", a, (size_t)(2 * t->nlive) * sizeof(PetscScalar)));
  PetscCall(VecRestoreArray(t->Y, &a));
  PetscFunctionReturn(0);
}

PetscErrorCode TissueGetEndTime(Tissue t, PetscReal *t_end)
{
  PetscFunctionBeginUser;
  *t_end = t->t_end;
  PetscFunctionReturn(0);
}

PetscErrorCode TissueGetPerfusion(Tissue t, PetscReal *ischemic_ratio, Vec *ratio, Vec *terminal)
{
  PetscFunctionBeginUser;
  if (ischemic_ratio) *ischemic_ratio = t->ischemic_ratio;
  if (ratio) *ratio = t->ratio;
  if (terminal) *terminal = t->term;
  PetscFunctionReturn(0);
}

const char *TissueCompartmentState(Tissue t, PetscInt r)
{
  const TissueTerritoryReport *rp = &t->rep[r];

  if (rp->first_necrosis >= 0) return "infarcted";
  if (rp->ratio < t->ischemic_ratio || rp->at_risk[t->nreport - 1] > 0) return "ischemic";
  return "perfused";
}

PetscErrorCode TissueGetReports(Tissue t, PetscInt *nreport, const PetscReal **times, const TissueTerritoryReport **reports)
{
  PetscFunctionBeginUser;
  *nreport = t->nreport;
  *times   = t->report;
  *reports = t->rep;
  PetscFunctionReturn(0);
}

PetscErrorCode TissueGetMap(Tissue t, DM *da, PetscReal *dx, PetscReal origin[2])
{
  PetscFunctionBeginUser;
  if (da) *da = t->da;
  if (dx) *dx = t->dx;
  if (origin) origin[0] = t->origin[0], origin[1] = t->origin[1];
  PetscFunctionReturn(0);
}

PetscErrorCode TissueGetMaps(Tissue t, PetscInt *nmaps, const char *const **names, const char *const **units, const PetscReal *const **data)
{
  PetscFunctionBeginUser;
  *nmaps = NMAPS;
  *names = map_names;
  *units = map_units;
  *data  = (const PetscReal *const *)t->maps;
  PetscFunctionReturn(0);
}

PetscErrorCode TissueDestroy(Tissue *tt)
{
  Tissue t = *tt;

  PetscFunctionBeginUser;
  if (!t) PetscFunctionReturn(0);
  PetscCall(OxygenDestroy(&t->o));
  PetscCall(VecDestroy(&t->terr));
  PetscCall(VecDestroy(&t->term));
  PetscCall(VecDestroy(&t->P_healthy));
  PetscCall(VecDestroy(&t->P));
  PetscCall(VecDestroy(&t->V));
  PetscCall(VecDestroy(&t->T));
  PetscCall(VecDestroy(&t->D));
  PetscCall(VecDestroy(&t->ratio));
  PetscCall(DMDestroy(&t->da));
  PetscCall(PetscFree5(t->q_healthy, t->comp_T, t->comp_D, t->comp_V, t->rep));
  PetscCall(PetscFree(t->rep_mem));
  PetscCall(PetscFree3(t->first, t->cnt, t->qt));
  PetscCall(VecDestroy(&t->Y));
  PetscCall(PetscFree(t->qv_healthy));
  PetscCall(PetscFree3(t->live, t->live_V, t->live_terr));
  PetscCall(TSDestroy(&t->ts));
  for (PetscInt m = 0; m < NMAPS; m++)
    PetscCall(PetscFree(t->maps[m]));
  PetscCall(PetscFree(t));
  *tt = NULL;
  PetscFunctionReturn(0);
}
