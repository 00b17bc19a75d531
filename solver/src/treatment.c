/* Treatment: hyaluronidase doses, the enzyme through the vessel walls into lodged gel, dissolution,
   migration and reperfusion over the tissue's hours (treatment.h). Parameters: ../reference/
   ha-enzyme-ischemia.md section 2D (the wall: albumin's effective diffusivity in the arterial wall
   2.7e-12 m^2/s and wall/plasma partition 0.1-0.2, Am J Physiol 1981; blood half-life about 2 min, King
   2018) and section 3 (the protocols). */
#include "treatment.h"
#include "enzyme_tissue.h"
#include "io.h"
#include "options.h"

#include <string.h>

typedef enum {
  PLANE_INTRADERMAL,
  PLANE_SUBCUTANEOUS,
  PLANE_SUPRAPERIOSTEAL
} Plane;
static const char *const planes[] = {"intradermal", "subcutaneous", "supraperiosteal", "Plane", "PLANE_", NULL};
/* the tissue layer a dose spreads in [m]: dermis about 1.5 mm, the subcutaneous fat of the nose and
   cheek about 3 mm, the deep fat and muscle over the bone about 5 mm [E] */
static const PetscReal plane_layer[] = {1.5e-3, 3e-3, 5e-3};

#define MAX_REPORTS  8
#define SLUG_SAMPLES 5

/* The enzyme inside one piece of gel (a slug by its id, or the bed of a terminal). */
typedef struct {
  PetscReal E;      /* active units in the gel [U] */
  PetscReal M0;     /* HA at the start of the treatment [kg] */
  PetscReal k_last; /* HA fraction at the last network solve */
  PetscReal recanalized;
  PetscReal x_report[MAX_REPORTS];
  PetscInt  vessel0;    /* where it was at the start */
  PetscBool moved;      /* it migrated and lodged again */
  PetscBool present;    /* a slug at the start */
  PetscBool washed_out; /* left as a slug: into a bed */
} Pool;

typedef struct {
  PetscReal t, units;
} Dose;

struct _p_Treatment {
  MPI_Comm    comm;
  HavocMesh   mesh;
  HavocEnzyme e;
  /* options */
  PetscBool  enzyme, vasodilation;
  PetscReal  point[2];
  PetscBool  point_set;
  PetscInt   vessel; /* intra-arterial, or -1 */
  PetscReal  position;
  PetscEnum  plane;
  PetscReal  layer, D_tissue, D_wall, K_wall, hl_blood, hl_gel, dt;
  PetscReal  vaso_start, vaso_duration, vaso_factor;
  PetscBool *vaso_terr; /* [nterritories] */
  /* state */
  EnzymeTissue et;
  Pool        *slug; /* by slug id */
  PetscInt     nslug_id;
  Pool        *bed;      /* by vessel */
  PetscReal   *oparam0;  /* outlet parameters before vasodilation [nvessels * HAVOC_OUTLET_MAXPARAM] */
  PetscBool   *deep;     /* [nvessels] vessels the tissue's enzyme does not reach */
  PetscBool   *ischemic; /* [nterritories] at the first dose */
  PetscBool    stopped;  /* the pulsed preset has stopped */
  Dose        *dose;
  PetscInt     ndose, maxdose;
  PetscReal    stop_time, ha0, ha_report[MAX_REPORTS], gel_decayed, gel_E, blood_lost, to_gel;
  PetscInt     nreport, nsolve, nmoved, nflows;
  PetscReal   *q_set, *q_base; /* [nvessels] flows the tissue has, healthy flows */
  PetscReal    report_t[MAX_REPORTS], necrotic_end, t_end;
  PetscReal    c_ha, s_gel, fragment;
  PetscReal    bal[4]; /* the map's units at the end: injected, on the map, decayed, taken */
  /* the record written to /treatment of result.h5: every step's time, HA left, units in the gel and on
     the map; the network's flows at every solve */
  PetscInt   nrec, maxrec, nflowrec, maxflowrec;
  PetscReal *rec;     /* [maxrec][4]: t, HA fraction, units in the gel, units on the map */
  PetscReal *flowrec; /* [maxflowrec][1 + nvessels]: t, flows */
  /* the coupling loop: its clock, the next dose of the schedule, the next report, the vasodilation; work
     arrays over the pieces of gel (ng: slugs by id, then beds by vessel) */
  PetscReal  now;
  PetscInt   ndose_sched, next_rep, ng;
  PetscBool  vaso_on;
  PetscReal *sum, *cnt, *c0, *take, *integ;
  /* checkpoints (TreatmentSetPause) */
  PetscErrorCode (*pause)(void *);
  void *pause_ctx;
};

PetscErrorCode TreatmentCreate(MPI_Comm comm, HavocMesh mesh, Treatment *out)
{
  Treatment tr;

  PetscFunctionBeginUser;
  PetscCall(PetscNew(&tr));
  tr->comm          = comm;
  tr->mesh          = mesh;
  tr->vessel        = -1;
  tr->position      = 0.5;
  tr->plane         = (PetscEnum)PLANE_SUBCUTANEOUS;
  tr->D_tissue      = 2e-11;
  tr->D_wall        = 2.7e-12;
  tr->K_wall        = 0.15;
  tr->hl_blood      = 120;
  tr->dt            = 60;
  tr->vaso_start    = -1;
  tr->vaso_duration = 3600;
  tr->vaso_factor   = 0.7;
  tr->stop_time     = -1;
  *out              = tr;
  PetscFunctionReturn(0);
}

PetscErrorCode TreatmentSetFromOptions(Treatment tr, PetscBool *active)
{
  char      point[256] = "", vessel[HAVOC_NAME_LEN] = "", terr[1024] = "";
  PetscBool set, a, b, c, help;
  PetscReal hl_tissue = 20 * 60;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  PetscCall(PetscOptionsHasName(NULL, NULL, "-enzyme_units", &a));
  PetscCall(PetscOptionsHasName(NULL, NULL, "-enzyme_preset", &b));
  PetscCall(PetscOptionsHasName(NULL, NULL, "-enzyme_start", &c));
  tr->enzyme = (PetscBool)(a || b || c);
  PetscCall(HavocEnzymeSetFromOptions(tr->comm, hl_tissue, &tr->e));
  if (tr->e.product.half_life_blood > 0) tr->hl_blood = tr->e.product.half_life_blood;
  PetscOptionsBegin(tr->comm, "enzyme_", "Hyaluronidase treatment in havoc run (docs/model.md, Hyaluronidase); a case treats when it sets -enzyme_units, -enzyme_preset or -enzyme_start", NULL);
  PetscCall(PetscOptionsString("-point", "dose site: a point X,Y of the face frame with its unit, e.g. '12,-40 mm' (default: flood the blanched area)", NULL, point, point, sizeof(point), &tr->point_set));
  PetscCall(PetscOptionsString("-vessel", "dose site: intra-arterial, into this vessel (a catheter)", NULL, vessel, vessel, sizeof(vessel), &set));
  PetscCall(HavocOptionsQuantity("-position", "intra-arterial: the catheter tip as a fraction of the vessel's length from its x = 0 end", "", tr->position, &tr->position, NULL, 0, 1));
  PetscCall(PetscOptionsEnum("-plane", "tissue plane of the doses (its layer thickness: intradermal 1.5 mm, subcutaneous 3 mm, supraperiosteal 5 mm)", NULL, planes, tr->plane, &tr->plane, NULL));
  tr->layer = plane_layer[tr->plane];
  PetscCall(HavocOptionsQuantity("-layer", "thickness of the tissue layer the doses spread in (overrides -enzyme_plane)", "m", tr->layer, &tr->layer, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-diffusivity", "diffusivity of the enzyme in the tissue (dermis 1-4e-11)", "m^2 s^-1", tr->D_tissue, &tr->D_tissue, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-wall_diffusivity", "diffusivity of the enzyme in the vessel wall (albumin in arterial wall 2.7e-12)", "m^2 s^-1", tr->D_wall, &tr->D_wall, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-wall_partition", "wall/plasma partition of the enzyme (0.1-0.2)", "", tr->K_wall, &tr->K_wall, NULL, 0, 1));
  PetscCall(HavocOptionsQuantity("-blood_half_life", "half-life of active enzyme in blood (default: the product's, about 2 min)", "s", tr->hl_blood, &tr->hl_blood, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  tr->hl_gel = tr->e.half_life;
  PetscCall(HavocOptionsQuantity("-gel_half_life", "half-life of active enzyme inside lodged gel (default: the tissue's, -enzyme_half_life)", "s", tr->hl_gel, &tr->hl_gel, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-dt", "coupling step of the enzyme, the gel and the tissue", "s", tr->dt, &tr->dt, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscOptionsEnd();
  PetscOptionsBegin(tr->comm, "vasodilation_", "Adjunct vasodilation in havoc run: warm compress, sildenafil (docs/model.md, Hyaluronidase)", NULL);
  PetscCall(HavocOptionsQuantity("-start", "time the vasodilation starts, after the occlusion (unset: none)", "s", tr->vaso_start, &tr->vaso_start, &tr->vasodilation, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-duration", "how long it lasts", "s", tr->vaso_duration, &tr->vaso_duration, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-factor", "multiplies the peripheral resistance of the treated territories' terminals", "", tr->vaso_factor, &tr->vaso_factor, NULL, HAVOC_POSITIVE, 1));
  PetscCall(PetscOptionsString("-territories", "territories treated, comma-separated (default: every skin territory)", NULL, terr, terr, sizeof(terr), NULL));
  PetscOptionsEnd();
  *active = (PetscBool)(tr->enzyme || tr->vasodilation);
  if (help || !tr->mesh) PetscFunctionReturn(0);
  HavocCheckUser(!(tr->point_set && vessel[0]), tr->comm, "options -enzyme_point and -enzyme_vessel: a dose goes to one site, give one of them");
  if (tr->point_set) {
    PetscReal p[2];
    PetscCall(HavocParsePoint(tr->comm, "-enzyme_point", point, 2, p));
    tr->point[0] = p[0];
    tr->point[1] = p[1];
  }
  if (vessel[0]) {
    PetscCall(HavocMeshFindVessel(tr->mesh, vessel, &tr->vessel));
    HavocCheckUser(tr->vessel >= 0, tr->comm, "option -enzyme_vessel: no vessel '%s' in %s", vessel, tr->mesh->path);
  }
  PetscCall(PetscCalloc1(tr->mesh->nterritories + 1, &tr->vaso_terr));
  if (terr[0]) {
    char *item = terr, *comma;
    while (item && *item) {
      PetscInt r;
      comma = strchr(item, ',');
      if (comma) *comma = 0;
      while (*item == ' ')
        item++;
      PetscCall(HavocMeshFindTerritory(tr->mesh, item, &r));
      HavocCheckUser(r >= 0, tr->comm, "option -vasodilation_territories: no territory '%s' in %s", item, tr->mesh->path);
      tr->vaso_terr[r] = PETSC_TRUE;
      item             = comma ? comma + 1 : NULL;
    }
  } else
    for (PetscInt r = 0; r < tr->mesh->nterritories; r++)
      tr->vaso_terr[r] = (PetscBool)(tr->mesh->territories[r].tissue == HAVOC_TISSUE_SKIN);
  PetscFunctionReturn(0);
}

/* Vessels the tissue's enzyme cannot reach: those that feed the retina, the choroid or the brain (behind
   the orbital septum, the optic nerve's sheath and the skull; Paap 2019: no diffusion through the dural
   sheath), found by following the healthy flow down to the terminals. */
static PetscErrorCode MarkDeep(Treatment tr, const PetscReal q0[])
{
  HavocMesh mesh    = tr->mesh;
  PetscBool changed = PETSC_TRUE;

  PetscFunctionBeginUser;
  PetscCall(PetscCalloc1(mesh->nvessels, &tr->deep));
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    const PetscInt r = mesh->vessels[i].territory_index;
    if (mesh->vessels[i].outlet_type >= 0 && r >= 0) {
      const HavocTissue k = mesh->territories[r].tissue;
      tr->deep[i]         = (PetscBool)(k == HAVOC_TISSUE_RETINA || k == HAVOC_TISSUE_CHOROID || k == HAVOC_TISSUE_BRAIN);
    }
  }
  while (changed) {
    changed = PETSC_FALSE;
    for (PetscInt i = 0; i < mesh->nvessels; i++) {
      const PetscInt down = q0[i] >= 0 ? mesh->vessels[i].to : mesh->vessels[i].from;
      if (tr->deep[i]) continue;
      for (PetscInt j = 0; j < mesh->nvessels && !tr->deep[i]; j++) {
        const PetscBool away = (PetscBool)((mesh->vessels[j].from == down && q0[j] > 0) || (mesh->vessels[j].to == down && q0[j] < 0));
        if (j != i && away && tr->deep[j]) tr->deep[i] = changed = PETSC_TRUE;
      }
    }
  }
  PetscFunctionReturn(0);
}

/* Mean enzyme concentration over the cells of every piece of gel: cnt[g] cells, sum[g] of c. Slugs
   (g < nslug_id, by id) sample their centreline; beds (nslug_id + vessel) the cells their terminal
   feeds. With take != NULL, instead removes take[g] units from those cells, in proportion to c (or
   evenly when nothing is there). */
static PetscErrorCode GelCells(Treatment tr, Bolus b, Tissue t, PetscReal sum[], PetscReal cnt[], const PetscReal take[])
{
  HavocMesh          mesh = tr->mesh;
  const PetscInt     ng = tr->nslug_id + mesh->nvessels, ns_id = tr->nslug_id;
  DM                 da;
  DMDALocalInfo      info;
  Vec                c, term, out = NULL;
  PetscReal          dx, origin[2];
  const PetscScalar *ca, *ta;
  PetscScalar       *oa = NULL;
  PetscInt           ns;
  const HavocSlug   *slugs;

  PetscFunctionBeginUser;
  PetscCall(TissueGetMap(t, &da, &dx, origin));
  PetscCall(TissueGetPerfusion(t, NULL, NULL, &term));
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(EnzymeTissueGetField(tr->et, &c));
  PetscCall(VecGetArrayRead(c, &ca));
  PetscCall(VecGetArrayRead(term, &ta));
  if (take) {
    PetscCall(VecDuplicate(c, &out));
    PetscCall(VecSet(out, 0));
    PetscCall(VecGetArray(out, &oa));
  } else {
    PetscCall(PetscArrayzero(sum, ng));
    PetscCall(PetscArrayzero(cnt, ng));
  }
  PetscCall(BolusGetSlugs(b, &ns, &slugs));
  for (PetscInt k = 0; k < ns; k++) {
    const HavocMeshVessel *mv = &mesh->vessels[slugs[k].vessel];
    const PetscInt         g  = slugs[k].id;
    if (tr->deep[slugs[k].vessel] || g >= ns_id) continue;
    for (PetscInt m = 0; m < SLUG_SAMPLES; m++) {
      PetscReal r[3];
      PetscInt  i, j;
      HavocMeshVesselPoint(mesh, mv, slugs[k].xa + (slugs[k].xb - slugs[k].xa) * (m + 0.5) / SLUG_SAMPLES, r);
      i = (PetscInt)PetscFloorReal((r[0] - origin[0]) / dx);
      j = (PetscInt)PetscFloorReal((r[1] - origin[1]) / dx);
      if (i < info.xs || i >= info.xs + info.xm || j < info.ys || j >= info.ys + info.ym) continue;
      {
        const PetscInt l = (j - info.ys) * info.xm + (i - info.xs);
        if (take) oa[l] += sum[g] > 0 ? take[g] * ca[l] / sum[g] : take[g] / PetscMax(cnt[g], 1);
        else {
          sum[g] += ca[l];
          cnt[g] += 1;
        }
      }
    }
  }
  for (PetscInt l = 0; l < info.xm * info.ym; l++) {
    const PetscInt v = (PetscInt)ta[l], g = ns_id + v;
    if (v < 0 || tr->deep[v]) continue;
    if (take) oa[l] += sum[g] > 0 ? take[g] * ca[l] / sum[g] : take[g] / PetscMax(cnt[g], 1);
    else {
      sum[g] += ca[l];
      cnt[g] += 1;
    }
  }
  PetscCall(VecRestoreArrayRead(c, &ca));
  PetscCall(VecRestoreArrayRead(term, &ta));
  if (take) {
    PetscCall(VecRestoreArray(out, &oa));
    PetscCall(EnzymeTissueTake(tr->et, out));
    PetscCall(VecDestroy(&out));
  } else {
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, sum, (PetscMPIInt)ng, MPIU_REAL, MPIU_SUM, tr->comm));
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, cnt, (PetscMPIInt)ng, MPIU_REAL, MPIU_SUM, tr->comm));
  }
  PetscFunctionReturn(0);
}

void TreatmentMembraneStep(PetscReal *E, PetscReal V, PetscReal rate, PetscReal lambda, PetscReal c, PetscReal h, PetscReal *integral, PetscReal *taken)
{
  const PetscReal a = rate + lambda, beq = rate * V * c;

  if (!(a > 0)) { /* no exchange, no decay */
    *integral = *E * h;
    *taken    = 0;
    return;
  }
  {
    const PetscReal Eeq = beq / a, z = PetscExpReal(-a * h), integ = Eeq * h + (*E - Eeq) * (1 - z) / a;
    *integral = integ;
    *taken    = beq * h - rate * integ;
    *E        = Eeq + (*E - Eeq) * z;
  }
}

/* Appends the network's flows Q at time now to the record. */
static PetscErrorCode RecordFlows(Treatment tr, PetscReal now, const PetscReal Q[])
{
  const PetscInt w = 1 + tr->mesh->nvessels;

  PetscFunctionBeginUser;
  if (tr->nflowrec == tr->maxflowrec) {
    PetscReal *grown;
    tr->maxflowrec = 2 * tr->maxflowrec + 16;
    PetscCall(PetscMalloc1(tr->maxflowrec * w, &grown));
    if (tr->nflowrec) PetscCall(PetscArraycpy(grown, tr->flowrec, tr->nflowrec * w));
    PetscCall(PetscFree(tr->flowrec));
    tr->flowrec = grown;
  }
  tr->flowrec[tr->nflowrec * w] = now;
  PetscCall(PetscArraycpy(tr->flowrec + tr->nflowrec * w + 1, Q, tr->mesh->nvessels));
  tr->nflowrec++;
  PetscFunctionReturn(0);
}

static PetscErrorCode HaLeft(Treatment tr, Bolus b, PetscReal *frac);

/* Appends the time now, the HA left, the units in the gel and on the map to the record. */
static PetscErrorCode RecordStep(Treatment tr, Bolus b, PetscReal now)
{
  PetscReal *r, inj, on_map, dec, taken;

  PetscFunctionBeginUser;
  if (tr->nrec == tr->maxrec) {
    PetscReal *grown;
    tr->maxrec = 2 * tr->maxrec + 64;
    PetscCall(PetscMalloc1(4 * tr->maxrec, &grown));
    if (tr->nrec) PetscCall(PetscArraycpy(grown, tr->rec, 4 * tr->nrec));
    PetscCall(PetscFree(tr->rec));
    tr->rec = grown;
  }
  r    = tr->rec + 4 * tr->nrec++;
  r[0] = now;
  PetscCall(HaLeft(tr, b, &r[1]));
  r[2] = 0;
  for (PetscInt g = 0; g < tr->nslug_id; g++)
    r[2] += tr->slug[g].E;
  for (PetscInt i = 0; i < tr->mesh->nvessels; i++)
    r[2] += tr->bed[i].E;
  PetscCall(EnzymeTissueGetBalance(tr->et, &inj, &on_map, &dec, &taken));
  r[3] = on_map;
  PetscFunctionReturn(0);
}

/* The terminals' peripheral resistances, vasodilated or not. */
static PetscErrorCode SetOutlets(Treatment tr, PetscBool vaso_on)
{
  HavocMesh mesh = tr->mesh;

  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    HavocMeshVessel       *mv = &mesh->vessels[i];
    const HavocOutletType *type;
    if (mv->outlet_type < 0 || mv->territory_index < 0) continue;
    PetscCall(HavocOutletGet(mv->outlet_type, &type));
    for (PetscInt p = 0; p < type->nparam; p++)
      if (!strcmp(type->param[p].unit, "Pa s m^-3")) mv->outlet_param[p] = tr->oparam0[i * HAVOC_OUTLET_MAXPARAM + p] * (vaso_on && tr->vaso_terr[mv->territory_index] ? tr->vaso_factor : 1);
  }
  PetscFunctionReturn(0);
}

/* The chronic network now: the bolus's resistances, the vasodilation, solved; flows into the tissue. */
static PetscErrorCode Solve(Treatment tr, Bolus b, Steady s, Tissue t, PetscReal now, PetscBool vaso_on)
{
  HavocMesh        mesh = tr->mesh;
  const PetscReal *Q, *p0, *pL;
  PetscInt         moved = 0, rounds = 0;

  PetscFunctionBeginUser;
  PetscCall(SetOutlets(tr, vaso_on));
  PetscCall(SteadyOutletsChanged(s));
  do {
    PetscCall(BolusApplySteady(b, s));
    PetscCall(SteadySolve(s));
    tr->nsolve++;
    PetscCall(SteadyGetSolution(s, &Q, &p0, &pL));
    PetscCall(BolusMobilize(b, Q, p0, pL, now, &moved));
    tr->nmoved += moved;
  } while (moved && ++rounds < 10);
  PetscCall(RecordFlows(tr, now, Q));
  {
    /* the tissue's oxygen is solved again only when a terminal's flow has changed by 0.1 % of its
       healthy flow */
    PetscReal change = 0;
    for (PetscInt i = 0; i < mesh->nvessels; i++)
      if (mesh->vessels[i].outlet_type >= 0 && tr->q_base[i] != 0) change = PetscMax(change, PetscAbsReal(Q[i] - tr->q_set[i]) / PetscAbsReal(tr->q_base[i]));
    if (change > 1e-3) {
      PetscCall(TissueSetFlows(t, Q));
      PetscCall(PetscArraycpy(tr->q_set, Q, mesh->nvessels));
      tr->nflows++;
    }
  }
  PetscFunctionReturn(0);
}

/* An intra-arterial dose of U units at the catheter: into the first gel downstream (see treatment.h). */
static PetscErrorCode DoseArterial(Treatment tr, Bolus b, const PetscReal Q[], PetscReal U)
{
  HavocMesh              mesh   = tr->mesh;
  const PetscReal        lambda = PetscLogReal(2.0) / tr->hl_blood;
  PetscInt               ns, *stack_v, *stack_n, top = 0;
  PetscReal             *stack_u;
  const HavocSlug       *slugs;
  const PetscReal       *bed;
  const HavocMeshVessel *mv = &mesh->vessels[tr->vessel];
  const PetscReal        x = tr->position * mv->length, stag = 1e-12; /* m^3/s: 0.06 uL/min, no flow */

  PetscFunctionBeginUser;
  PetscCall(BolusGetSlugs(b, &ns, &slugs));
  PetscCall(BolusGetBeds(b, &bed, NULL));
  {
    /* gel in the catheter's own vessel: downstream of the tip, or the nearest with no flow */
    PetscInt  best  = -1;
    PetscReal dbest = PETSC_MAX_REAL;
    for (PetscInt k = 0; k < ns; k++) {
      PetscReal d;
      if (slugs[k].vessel != tr->vessel) continue;
      if (slugs[k].xa <= x && x <= slugs[k].xb) d = 0; /* the catheter's tip in the gel */
      else if (PetscAbsReal(Q[tr->vessel]) < stag) d = PetscMin(PetscAbsReal(slugs[k].xa - x), PetscAbsReal(slugs[k].xb - x));
      else if (Q[tr->vessel] > 0) d = slugs[k].xa > x ? slugs[k].xa - x : -1; /* downstream only */
      else d = slugs[k].xb < x ? x - slugs[k].xb : -1;
      if (d >= 0 && d < dbest) dbest = d, best = k;
    }
    if (best >= 0) {
      /* with flow: carried there, decaying over the transit; without: diffusing there while it decays, a
         point source's share at a sink d away in 1D, exp(-d / l), l = sqrt(D_b / lambda) (about 0.1 mm) */
      const PetscReal A = PETSC_PI * 0.25 * PetscSqr(mv->r_prox + mv->r_dist), D_b = 8e-11;
      const PetscReal arrive = PetscAbsReal(Q[tr->vessel]) < stag ? U * PetscExpReal(-dbest / PetscSqrtReal(D_b / lambda)) : U * PetscExpReal(-lambda * A * dbest / PetscAbsReal(Q[tr->vessel]));
      tr->slug[slugs[best].id].E += arrive;
      tr->to_gel += arrive;
      tr->blood_lost += U - arrive;
      PetscFunctionReturn(0);
    }
    if (PetscAbsReal(Q[tr->vessel]) < stag) {
      tr->blood_lost += U; /* stagnant blood, no gel in reach: it decays there */
      PetscFunctionReturn(0);
    }
  }
  PetscCall(PetscMalloc3(mesh->nvessels + 1, &stack_v, mesh->nvessels + 1, &stack_n, mesh->nvessels + 1, &stack_u));
  stack_n[top]   = Q[tr->vessel] > 0 ? mv->to : mv->from;
  stack_v[top]   = tr->vessel;
  stack_u[top++] = U;
  while (top) {
    const PetscInt  node = stack_n[--top], from = stack_v[top];
    const PetscReal u   = stack_u[top];
    PetscReal       out = 0;
    for (PetscInt j = 0; j < mesh->nvessels; j++) {
      const HavocMeshVessel *w = &mesh->vessels[j];
      if (j != from && ((w->from == node && Q[j] > stag) || (w->to == node && Q[j] < -stag))) out += PetscAbsReal(Q[j]);
    }
    if (!(out > 0)) {
      tr->blood_lost += u;
      continue;
    }
    for (PetscInt j = 0; j < mesh->nvessels; j++) {
      const HavocMeshVessel *w = &mesh->vessels[j];
      const PetscReal        A = PETSC_PI * 0.25 * PetscSqr(w->r_prox + w->r_dist);
      PetscReal              uj, first = PETSC_MAX_REAL;
      PetscInt               hit = -1;
      if (j == from || !((w->from == node && Q[j] > stag) || (w->to == node && Q[j] < -stag))) continue;
      uj = u * PetscAbsReal(Q[j]) / out;
      for (PetscInt k = 0; k < ns; k++) {
        const PetscReal d = w->from == node ? slugs[k].xa : w->length - slugs[k].xb;
        if (slugs[k].vessel == j && d < first) first = d, hit = k;
      }
      if (hit >= 0) {
        const PetscReal arrive = uj * PetscExpReal(-lambda * A * first / PetscAbsReal(Q[j]));
        tr->slug[slugs[hit].id].E += arrive;
        tr->to_gel += arrive;
        tr->blood_lost += uj - arrive;
        continue;
      }
      {
        const PetscReal arrive = uj * PetscExpReal(-lambda * A * w->length / PetscAbsReal(Q[j]));
        tr->blood_lost += uj - arrive;
        if (w->outlet_type >= 0) {
          if (bed[j] > 0) {
            tr->bed[j].E += arrive;
            tr->to_gel += arrive;
          } else tr->blood_lost += arrive; /* through the capillaries into the veins */
        } else if (top < mesh->nvessels) {
          stack_n[top]   = w->from == node ? w->to : w->from;
          stack_v[top]   = j;
          stack_u[top++] = arrive;
        } else tr->blood_lost += arrive;
      }
    }
  }
  PetscCall(PetscFree3(stack_v, stack_n, stack_u));
  PetscFunctionReturn(0);
}

/* HA left in all the gel, over the HA at the start. */
static PetscErrorCode HaLeft(Treatment tr, Bolus b, PetscReal *frac)
{
  PetscInt         ns;
  const HavocSlug *slugs;
  const PetscReal *bed, *bx;
  PetscReal        M = 0;

  PetscFunctionBeginUser;
  PetscCall(BolusGetSlugs(b, &ns, &slugs));
  PetscCall(BolusGetBeds(b, &bed, NULL));
  PetscCall(BolusGetBedFractions(b, &bx));
  for (PetscInt k = 0; k < ns; k++)
    M += tr->c_ha * slugs[k].V * slugs[k].x;
  for (PetscInt i = 0; i < tr->mesh->nvessels; i++)
    M += tr->c_ha * bed[i] * bx[i];
  *frac = tr->ha0 > 0 ? M / tr->ha0 : 0;
  PetscFunctionReturn(0);
}

/* Is every territory that was ischemic at the first dose perfused again? */
static PetscErrorCode Reperfused(Treatment tr, Tissue t, PetscBool *yes)
{
  PetscReal                    ratio_c;
  PetscInt                     nrep;
  const PetscReal             *times;
  const TissueTerritoryReport *rep;

  PetscFunctionBeginUser;
  PetscCall(TissueGetPerfusion(t, &ratio_c, NULL, NULL));
  PetscCall(TissueGetReports(t, &nrep, &times, &rep));
  *yes = PETSC_TRUE;
  for (PetscInt r = 0; r < tr->mesh->nterritories; r++)
    if (tr->ischemic[r] && rep[r].ratio < ratio_c) *yes = PETSC_FALSE;
  PetscFunctionReturn(0);
}

/* A pause for a checkpoint between two steps of the loop, whose state is in the object (collective). */
static PetscErrorCode TreatmentPause(Treatment tr)
{
  PetscFunctionBeginUser;
  if (tr->pause) PetscCall(tr->pause(tr->pause_ctx));
  PetscFunctionReturn(0);
}

static PetscErrorCode GiveDose(Treatment tr, Bolus b, Steady s, Tissue t, PetscReal now)
{
  const PetscReal U = tr->e.units;

  PetscFunctionBeginUser;
  if (!tr->ndose) {
    PetscReal                    ratio_c;
    PetscInt                     nrep;
    const PetscReal             *times;
    const TissueTerritoryReport *rep;
    PetscCall(TissueGetPerfusion(t, &ratio_c, NULL, NULL));
    PetscCall(TissueGetReports(t, &nrep, &times, &rep));
    for (PetscInt r = 0; r < tr->mesh->nterritories; r++)
      tr->ischemic[r] = (PetscBool)(rep[r].ratio < ratio_c);
  } else if (tr->e.preset == ENZYME_PULSED) {
    PetscBool yes = PETSC_FALSE;
    PetscCall(Reperfused(tr, t, &yes));
    if (yes) {
      tr->stopped   = PETSC_TRUE;
      tr->stop_time = now;
      PetscCall(PetscInfo(NULL, "pulsed hyaluronidase stops at %g s: reperfused\n", (double)now));
      PetscFunctionReturn(0);
    }
  }
  if (tr->vessel >= 0) {
    const PetscReal *Q;
    PetscCall(SteadyGetSolution(s, &Q, NULL, NULL));
    PetscCall(DoseArterial(tr, b, Q, U));
  } else if (tr->point_set) PetscCall(EnzymeTissueAddBleb(tr->et, tr->point[0], tr->point[1], U, tr->e.volume));
  else {
    /* flood the blanched area: the cells whose perfusion ratio is below the ischemic ratio */
    Vec                ratio, terrv, w;
    PetscReal          ratio_c;
    PetscBool          placed;
    PetscInt           n;
    const PetscScalar *ra, *ta;
    PetscScalar       *wa;
    PetscCall(TissueGetPerfusion(t, &ratio_c, &ratio, &terrv));
    PetscCall(VecDuplicate(ratio, &w));
    PetscCall(VecGetLocalSize(w, &n));
    PetscCall(VecGetArrayRead(ratio, &ra));
    PetscCall(VecGetArrayRead(terrv, &ta));
    PetscCall(VecGetArray(w, &wa));
    for (PetscInt c = 0; c < n; c++)
      wa[c] = ta[c] >= 0 && ra[c] < ratio_c ? 1 : 0;
    PetscCall(VecRestoreArrayRead(ratio, &ra));
    PetscCall(VecRestoreArrayRead(terrv, &ta));
    PetscCall(VecRestoreArray(w, &wa));
    PetscCall(EnzymeTissueAddWeighted(tr->et, w, U, &placed));
    PetscCall(VecDestroy(&w));
    if (!placed) {
      /* nothing blanched: the dose is given where the gel is, around the first slug's middle */
      PetscInt         ns;
      const HavocSlug *slugs;
      PetscReal        r[3] = {0, 0, 0};
      PetscCall(BolusGetSlugs(b, &ns, &slugs));
      if (ns) HavocMeshVesselPoint(tr->mesh, &tr->mesh->vessels[slugs[0].vessel], 0.5 * (slugs[0].xa + slugs[0].xb), r);
      PetscCall(EnzymeTissueAddBleb(tr->et, r[0], r[1], U, tr->e.volume));
    }
  }
  PetscCall(PetscRealloc(sizeof(Dose) * (size_t)(tr->ndose + 1), &tr->dose));
  tr->dose[tr->ndose].t       = now;
  tr->dose[tr->ndose++].units = U;
  PetscFunctionReturn(0);
}

PetscErrorCode TreatmentBegin(Treatment tr, Bolus b, Steady s, Tissue t, const PetscReal base_q[])
{
  HavocMesh                    mesh = tr->mesh;
  DM                           da;
  PetscReal                    dx, origin[2];
  PetscInt                     ns, nrep;
  const HavocSlug             *slugs;
  const PetscReal             *bed, *times, *Q;
  BolusInfo                    info;
  const TissueTerritoryReport *rep;

  PetscFunctionBeginUser;
  PetscCall(BolusGetInfo(b, &info));
  tr->c_ha     = info.filler.c_ha;
  tr->fragment = info.filler.fragment;
  tr->s_gel    = tr->e.susceptibility_set ? tr->e.susceptibility : info.filler.susceptibility; /* the product's unless given */
  PetscCall(TissueGetEndTime(t, &tr->t_end));
  PetscCall(TissueGetReports(t, &nrep, &times, &rep));
  tr->nreport = PetscMin(nrep, MAX_REPORTS);
  for (PetscInt k = 0; k < tr->nreport; k++)
    tr->report_t[k] = times[k];
  PetscCall(TissueGetMap(t, &da, &dx, origin));
  PetscCall(EnzymeTissueCreate(da, dx, origin, tr->layer, &tr->et));
  PetscCall(EnzymeTissueSetParameters(tr->et, tr->D_tissue, tr->e.half_life));
  PetscCall(MarkDeep(tr, base_q));
  PetscCall(PetscCalloc1(mesh->nterritories + 1, &tr->ischemic));
  PetscCall(PetscMalloc1(mesh->nvessels * HAVOC_OUTLET_MAXPARAM, &tr->oparam0));
  for (PetscInt i = 0; i < mesh->nvessels; i++)
    for (PetscInt p = 0; p < HAVOC_OUTLET_MAXPARAM; p++)
      tr->oparam0[i * HAVOC_OUTLET_MAXPARAM + p] = mesh->vessels[i].outlet_param[p];
  /* the gel at the start */
  PetscCall(BolusGetSlugs(b, &ns, &slugs));
  PetscCall(BolusGetBeds(b, &bed, NULL));
  tr->nslug_id = 0;
  for (PetscInt k = 0; k < ns; k++)
    tr->nslug_id = PetscMax(tr->nslug_id, slugs[k].id + 1);
  PetscCall(PetscCalloc1(tr->nslug_id + 1, &tr->slug));
  PetscCall(PetscCalloc1(mesh->nvessels, &tr->bed));
  for (PetscInt k = 0; k < ns; k++) {
    Pool *p        = &tr->slug[slugs[k].id];
    p->M0          = tr->c_ha * slugs[k].V;
    p->k_last      = 1;
    p->present     = PETSC_TRUE;
    p->vessel0     = slugs[k].vessel;
    p->recanalized = -1;
    tr->ha0 += p->M0;
  }
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    tr->bed[i].M0          = tr->c_ha * bed[i];
    tr->bed[i].k_last      = 1;
    tr->bed[i].recanalized = -1;
    tr->bed[i].present     = (PetscBool)(bed[i] > 0);
    tr->ha0 += tr->bed[i].M0;
  }
  tr->ng = tr->nslug_id + mesh->nvessels;
  PetscCall(PetscMalloc5(tr->ng, &tr->sum, tr->ng, &tr->cnt, tr->ng, &tr->c0, tr->ng, &tr->take, tr->ng, &tr->integ));
  PetscCall(SteadyGetSolution(s, &Q, NULL, NULL));
  PetscCall(TissueBegin(t, Q));
  PetscCall(PetscMalloc2(mesh->nvessels, &tr->q_set, mesh->nvessels, &tr->q_base));
  PetscCall(PetscArraycpy(tr->q_set, Q, mesh->nvessels));
  PetscCall(PetscArraycpy(tr->q_base, base_q, mesh->nvessels));
  PetscCall(RecordFlows(tr, 0, Q));
  PetscCall(RecordStep(tr, b, 0));
  tr->now         = 0;
  tr->ndose_sched = 0;
  tr->next_rep    = 0;
  tr->vaso_on     = PETSC_FALSE;
  PetscFunctionReturn(0);
}

PetscErrorCode TreatmentEnd(Treatment tr, Bolus b, Steady s, Tissue t)
{
  HavocMesh                    mesh = tr->mesh;
  PetscReal                   *sum = tr->sum, *cnt = tr->cnt, *c0 = tr->c0, *take = tr->take, *integ = tr->integ;
  PetscInt                     ns, ng = tr->ng, nrep;
  const HavocSlug             *slugs;
  const PetscReal             *bed, *times;
  const TissueTerritoryReport *rep;

  PetscFunctionBeginUser;
  while (tr->now < tr->t_end) {
    PetscCall(TreatmentPause(tr));
    const PetscReal td      = tr->enzyme && !tr->stopped ? HavocEnzymeDoseTime(&tr->e, tr->ndose_sched) : -1;
    const PetscReal tv      = !tr->vasodilation ? -1 : !tr->vaso_on ? tr->vaso_start
                                                                    : tr->vaso_start + tr->vaso_duration;
    PetscReal       next    = PetscMin(tr->now + tr->dt, tr->t_end), h;
    PetscBool       changed = PETSC_FALSE;

    /* events now */
    if (td >= 0 && td <= tr->now) {
      PetscCall(GiveDose(tr, b, s, t, tr->now));
      tr->ndose_sched++;
      continue;
    }
    if (tv >= 0 && tv <= tr->now) {
      tr->vaso_on = (PetscBool)!tr->vaso_on;
      if (!tr->vaso_on) tr->vasodilation = PETSC_FALSE; /* done */
      PetscCall(Solve(tr, b, s, t, tr->now, tr->vaso_on));
      continue;
    }
    if (td > tr->now) next = PetscMin(next, td);
    if (tv > tr->now) next = PetscMin(next, tv);
    if (tr->next_rep < tr->nreport && tr->report_t[tr->next_rep] > tr->now) next = PetscMin(next, tr->report_t[tr->next_rep]);
    h = next - tr->now;
    /* the enzyme in the tissue, then every piece of gel with the step's mean concentration */
    PetscCall(GelCells(tr, b, t, sum, cnt, NULL));
    for (PetscInt g = 0; g < ng; g++)
      c0[g] = cnt[g] > 0 ? sum[g] / cnt[g] : 0;
    PetscCall(EnzymeTissueAdvance(tr->et, h));
    PetscCall(GelCells(tr, b, t, sum, cnt, NULL));
    PetscCall(BolusGetSlugs(b, &ns, &slugs));
    PetscCall(BolusGetBeds(b, &bed, NULL));
    PetscCall(PetscArrayzero(take, ng));
    PetscCall(PetscArrayzero(integ, ng));
    {
      const PetscReal lambda_g = tr->hl_gel > 0 ? PetscLogReal(2.0) / tr->hl_gel : 0;
      for (PetscInt k = 0; k < ns; k++) {
        const PetscInt         g  = slugs[k].id;
        const HavocMeshVessel *mv = &mesh->vessels[slugs[k].vessel];
        const PetscReal        r  = mv->r_prox + (mv->r_dist - mv->r_prox) * 0.5 * (slugs[k].xa + slugs[k].xb) / mv->length;
        const PetscReal        hw = mv->h > 0 ? mv->h : 0.15 * mv->r_prox, P = tr->K_wall * tr->D_wall / hw;
        const PetscReal        c1 = cnt[g] > 0 ? sum[g] / cnt[g] : 0;
        if (g >= tr->nslug_id) continue;
        TreatmentMembraneStep(&tr->slug[g].E, slugs[k].V, tr->deep[slugs[k].vessel] ? 0 : 2 * P / r, lambda_g, 0.5 * (c0[g] + c1), h, &integ[g], &take[g]);
      }
      for (PetscInt i = 0; i < mesh->nvessels; i++) {
        const PetscInt  g  = tr->nslug_id + i;
        const PetscReal rb = 0.5 * tr->fragment, P = tr->K_wall * tr->D_wall / (0.15 * rb), c1 = cnt[g] > 0 ? sum[g] / cnt[g] : 0;
        if (!(bed[i] > 0)) continue;
        TreatmentMembraneStep(&tr->bed[i].E, bed[i], tr->deep[i] ? 0 : 2 * P / rb, lambda_g, 0.5 * (c0[g] + c1), h, &integ[g], &take[g]);
      }
      for (PetscInt g = 0; g < ng; g++) {
        tr->gel_decayed += lambda_g * integ[g];
        tr->to_gel += take[g];
      }
    }
    PetscCall(GelCells(tr, b, t, sum, cnt, take));
    PetscCall(TissueAdvance(t, next));
    tr->now = next;
    /* digestion: the HA fractions, dissolution */
    {
      const PetscReal  bs  = tr->e.beta * tr->s_gel;
      PetscInt         nsl = ns;
      PetscInt        *ids;
      PetscReal       *xs;
      const PetscReal *bx;
      PetscCall(PetscMalloc2(nsl + 1, &ids, nsl + 1, &xs));
      for (PetscInt k = 0; k < nsl; k++) {
        const PetscInt g = slugs[k].id;
        ids[k]           = g;
        xs[k]            = g < tr->nslug_id && tr->slug[g].M0 > 0 ? PetscMax(slugs[k].x - bs * integ[g] / tr->slug[g].M0, 0) : slugs[k].x;
      }
      for (PetscInt k = 0; k < nsl; k++) {
        PetscBool gone;
        Pool     *p = ids[k] < tr->nslug_id ? &tr->slug[ids[k]] : NULL;
        PetscCall(BolusSetSlugFraction(b, ids[k], xs[k], tr->e.x_dissolved, tr->now, &gone));
        if (gone && p) {
          p->recanalized = tr->now;
          tr->blood_lost += p->E; /* its enzyme leaves with the fragments */
          p->E = 0;
        }
        if (gone || (p && PetscAbsReal(PetscPowReal(xs[k], -1.5) / PetscPowReal(p->k_last, -1.5) - 1) > 0.1)) {
          changed = PETSC_TRUE;
          if (p) p->k_last = xs[k];
        }
      }
      PetscCall(PetscFree2(ids, xs));
      PetscCall(BolusGetBeds(b, &bed, NULL));
      PetscCall(BolusGetBedFractions(b, &bx));
      for (PetscInt i = 0; i < mesh->nvessels; i++) {
        PetscBool gone;
        PetscReal x;
        if (!(bed[i] > 0) || !(tr->bed[i].M0 > 0)) continue;
        x = PetscMax(bx[i] - bs * integ[tr->nslug_id + i] / (tr->c_ha * bed[i]), 0);
        PetscCall(BolusSetBedFraction(b, i, x, tr->e.x_dissolved, &gone));
        if (gone) {
          tr->bed[i].recanalized = tr->now;
          tr->blood_lost += tr->bed[i].E;
          tr->bed[i].E = 0;
          changed      = PETSC_TRUE;
        }
      }
    }
    if (changed) PetscCall(Solve(tr, b, s, t, tr->now, tr->vaso_on));
    /* slugs that migrated into beds: their enzyme goes with them */
    PetscCall(BolusGetSlugs(b, &ns, &slugs));
    for (PetscInt g = 0; g < tr->nslug_id; g++) {
      Pool    *p  = &tr->slug[g];
      PetscInt at = -1;
      if (!p->present || p->recanalized >= 0) continue;
      for (PetscInt k = 0; k < ns; k++)
        if (slugs[k].id == g) at = k;
      if (at < 0) {
        p->recanalized = tr->now;
        p->washed_out  = PETSC_TRUE;
        tr->blood_lost += p->E;
        p->E = 0;
      } else if (slugs[at].vessel != p->vessel0) p->moved = PETSC_TRUE;
    }
    PetscCall(RecordStep(tr, b, tr->now));
    if (tr->next_rep < tr->nreport && tr->now >= tr->report_t[tr->next_rep]) {
      tr->ha_report[tr->next_rep] = tr->rec[4 * (tr->nrec - 1) + 1]; /* the HA left, just recorded */
      for (PetscInt g = 0; g < tr->nslug_id; g++) {
        PetscReal x = -1; /* gone */
        for (PetscInt k = 0; k < ns; k++)
          if (slugs[k].id == g) x = slugs[k].x;
        tr->slug[g].x_report[tr->next_rep] = x;
      }
      tr->next_rep++;
    }
  }
  PetscCall(TissueEnd(t));
  PetscCall(EnzymeTissueGetBalance(tr->et, &tr->bal[0], &tr->bal[1], &tr->bal[2], &tr->bal[3]));
  tr->gel_E = 0;
  for (PetscInt g = 0; g < tr->nslug_id; g++)
    tr->gel_E += tr->slug[g].E;
  for (PetscInt i = 0; i < mesh->nvessels; i++)
    tr->gel_E += tr->bed[i].E;
  /* the network as the patient keeps it */
  for (PetscInt i = 0; i < mesh->nvessels; i++)
    for (PetscInt p = 0; p < HAVOC_OUTLET_MAXPARAM; p++)
      mesh->vessels[i].outlet_param[p] = tr->oparam0[i * HAVOC_OUTLET_MAXPARAM + p];
  PetscCall(SteadyOutletsChanged(s));
  PetscCall(TissueGetReports(t, &nrep, &times, &rep));
  tr->necrotic_end = 0;
  for (PetscInt r = 0; r < mesh->nterritories; r++)
    if (!rep[r].compartment) tr->necrotic_end += rep[r].necrotic[nrep - 1];
  PetscFunctionReturn(0);
}

PetscErrorCode TreatmentRun(Treatment tr, Bolus b, Steady s, Tissue t, const PetscReal base_q[])
{
  PetscFunctionBeginUser;
  PetscCall(TreatmentBegin(tr, b, s, t, base_q));
  PetscCall(TreatmentEnd(tr, b, s, t));
  PetscFunctionReturn(0);
}

PetscErrorCode TreatmentSetPause(Treatment tr, PetscErrorCode (*pause)(void *), void *ctx)
{
  PetscFunctionBeginUser;
  tr->pause     = pause;
  tr->pause_ctx = ctx;
  PetscFunctionReturn(0);
}

PetscErrorCode TreatmentGetTime(Treatment tr, PetscReal *now)
{
  PetscFunctionBeginUser;
  *now = tr->now;
  PetscFunctionReturn(0);
}

typedef struct {
  PetscReal now, stop_time, ha0, gel_decayed, blood_lost, to_gel, ha_report[MAX_REPORTS];
  PetscInt  ndose_sched, next_rep, vaso_on, vasodilation, stopped, ndose, nsolve, nmoved, nflows, nrec, nflowrec, nslug_id;
} TreatmentScalars;

/* The treatment's state, written or read in the same order: its loop clock, pools, doses and records
   and the enzyme on the map. */
PetscErrorCode TreatmentCheckpoint(Treatment tr, HavocCheckpoint ck, PetscBool write)
{
  TreatmentScalars sc;
  const PetscInt   nv = tr->mesh->nvessels;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(&sc, sizeof(sc)));
  sc.now = tr->now, sc.stop_time = tr->stop_time, sc.ha0 = tr->ha0, sc.gel_decayed = tr->gel_decayed, sc.blood_lost = tr->blood_lost, sc.to_gel = tr->to_gel;
  PetscCall(PetscArraycpy(sc.ha_report, tr->ha_report, MAX_REPORTS));
  sc.ndose_sched = tr->ndose_sched, sc.next_rep = tr->next_rep, sc.vaso_on = tr->vaso_on, sc.vasodilation = tr->vasodilation, sc.stopped = tr->stopped;
  sc.ndose = tr->ndose, sc.nsolve = tr->nsolve, sc.nmoved = tr->nmoved, sc.nflows = tr->nflows, sc.nrec = tr->nrec, sc.nflowrec = tr->nflowrec, sc.nslug_id = tr->nslug_id;
  PetscCall(HavocCheckpointRecord(ck, write, "treatment.scalars", &sc, sizeof(sc)));
  if (!write) {
    PetscCheck(sc.nslug_id == tr->nslug_id && sc.ndose >= 0 && sc.nrec >= 0 && sc.nflowrec >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "treatment checkpoint: %" PetscInt_FMT " slugs, this run has %" PetscInt_FMT, sc.nslug_id, tr->nslug_id);
    tr->now = sc.now, tr->stop_time = sc.stop_time, tr->ha0 = sc.ha0, tr->gel_decayed = sc.gel_decayed, tr->blood_lost = sc.blood_lost, tr->to_gel = sc.to_gel;
    PetscCall(PetscArraycpy(tr->ha_report, sc.ha_report, MAX_REPORTS));
    tr->ndose_sched = sc.ndose_sched, tr->next_rep = sc.next_rep, tr->vaso_on = (PetscBool)sc.vaso_on, tr->vasodilation = (PetscBool)sc.vasodilation, tr->stopped = (PetscBool)sc.stopped;
    tr->nsolve = sc.nsolve, tr->nmoved = sc.nmoved, tr->nflows = sc.nflows;
    /* the growing arrays, at the checkpoint's lengths */
    PetscCall(PetscFree(tr->dose));
    PetscCall(PetscFree(tr->rec));
    PetscCall(PetscFree(tr->flowrec));
    tr->ndose = sc.ndose;
    tr->nrec = tr->maxrec = sc.nrec;
    tr->nflowrec = tr->maxflowrec = sc.nflowrec;
    PetscCall(PetscMalloc1(tr->ndose + 1, &tr->dose));
    PetscCall(PetscMalloc1(4 * tr->maxrec + 1, &tr->rec));
    PetscCall(PetscMalloc1((1 + nv) * tr->maxflowrec + 1, &tr->flowrec));
  }
  PetscCall(HavocCheckpointRecord(ck, write, "treatment.slugs", tr->slug, (size_t)tr->nslug_id * sizeof(Pool)));
  PetscCall(HavocCheckpointRecord(ck, write, "treatment.beds", tr->bed, (size_t)nv * sizeof(Pool)));
  PetscCall(HavocCheckpointRecord(ck, write, "treatment.ischemic", tr->ischemic, (size_t)tr->mesh->nterritories * sizeof(PetscBool)));
  PetscCall(HavocCheckpointRecord(ck, write, "treatment.doses", tr->dose, (size_t)tr->ndose * sizeof(Dose)));
  PetscCall(HavocCheckpointRecord(ck, write, "treatment.q_set", tr->q_set, (size_t)nv * sizeof(PetscReal)));
  PetscCall(HavocCheckpointRecord(ck, write, "treatment.record", tr->rec, (size_t)(4 * tr->nrec) * sizeof(PetscReal)));
  PetscCall(HavocCheckpointRecord(ck, write, "treatment.flows", tr->flowrec, (size_t)((1 + nv) * tr->nflowrec) * sizeof(PetscReal)));
  PetscCall(EnzymeTissueCheckpoint(tr->et, ck, write));
  if (!write) PetscCall(SetOutlets(tr, tr->vaso_on)); /* the network as the loop left it */
  PetscFunctionReturn(0);
}

PetscErrorCode TreatmentGetTotals(Treatment tr, PetscReal *units, PetscReal *ha_left, PetscInt *recanalized, PetscInt *nslugs)
{
  PetscFunctionBeginUser;
  *units = 0;
  for (PetscInt d = 0; d < tr->ndose; d++)
    *units += tr->dose[d].units;
  *ha_left     = tr->nreport ? tr->ha_report[tr->nreport - 1] : 1;
  *recanalized = *nslugs = 0;
  for (PetscInt g = 0; g < tr->nslug_id; g++)
    if (tr->slug[g].present) {
      (*nslugs)++;
      if (tr->slug[g].recanalized >= 0) (*recanalized)++;
    }
  PetscFunctionReturn(0);
}

PetscErrorCode TreatmentSummary(Treatment tr, json_t *root)
{
  json_t   *jt = json_object(), *doses = json_array(), *slugs = json_array(), *beds = json_array(), *times = json_array(), *ha = json_array(), *bal = json_object();
  PetscReal units, left, inj = 0, on_map = 0, decayed = 0, taken = 0;
  PetscInt  nrec, nsl;
  HavocMesh mesh = tr->mesh;

  PetscFunctionBeginUser;
  PetscCall(TreatmentGetTotals(tr, &units, &left, &nrec, &nsl));
  inj     = tr->bal[0];
  on_map  = tr->bal[1];
  decayed = tr->bal[2];
  taken   = tr->bal[3];
  json_object_set_new(jt, "product", json_string(tr->e.product.name));
  json_object_set_new(jt, "preset", json_string(HavocEnzymePresets[tr->e.preset]));
  json_object_set_new(jt, "site", json_string(tr->vessel >= 0 ? "vessel" : tr->point_set ? "point"
                                                                                         : "blanched_area"));
  if (tr->vessel >= 0) json_object_set_new(jt, "vessel", json_string(mesh->vessels[tr->vessel].name));
  json_object_set_new(jt, "units_per_dose", HavocJsonReal(tr->e.units));
  json_object_set_new(jt, "volume_per_dose_m3", HavocJsonReal(tr->e.volume));
  json_object_set_new(jt, "total_units", HavocJsonReal(units));
  for (PetscInt d = 0; d < tr->ndose; d++) {
    json_t *o = json_object();
    json_object_set_new(o, "t_s", HavocJsonReal(tr->dose[d].t));
    json_object_set_new(o, "units", HavocJsonReal(tr->dose[d].units));
    json_array_append_new(doses, o);
  }
  json_object_set_new(jt, "doses", doses);
  json_object_set_new(jt, "stopped_reperfused_s", tr->stop_time >= 0 ? HavocJsonReal(tr->stop_time) : json_null());
  for (PetscInt k = 0; k < tr->nreport; k++) {
    json_array_append_new(times, HavocJsonReal(tr->report_t[k]));
    json_array_append_new(ha, HavocJsonReal(tr->ha_report[k]));
  }
  json_object_set_new(jt, "output_times_s", times);
  json_object_set_new(jt, "ha_remaining_fraction", ha);
  for (PetscInt g = 0; g < tr->nslug_id; g++) {
    const Pool *p = &tr->slug[g];
    json_t     *o, *xr;
    if (!p->present) continue;
    o  = json_object();
    xr = json_array();
    json_object_set_new(o, "id", json_integer(g));
    json_object_set_new(o, "vessel", json_string(mesh->vessels[p->vessel0].name));
    json_object_set_new(o, "recanalized_s", p->recanalized >= 0 ? HavocJsonReal(p->recanalized) : json_null());
    json_object_set_new(o, "how", json_string(p->recanalized < 0 ? (p->moved ? "migrated, still lodged" : "still lodged") : p->washed_out ? "migrated into a capillary bed"
                                                                                                                                          : "dissolved"));
    for (PetscInt k = 0; k < tr->nreport; k++)
      json_array_append_new(xr, p->x_report[k] >= 0 ? HavocJsonReal(p->x_report[k]) : json_null());
    json_object_set_new(o, "ha_fraction", xr);
    json_array_append_new(slugs, o);
  }
  json_object_set_new(jt, "slugs", slugs);
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    json_t *o;
    if (!tr->bed[i].present) continue;
    o = json_object();
    json_object_set_new(o, "vessel", json_string(mesh->vessels[i].name));
    json_object_set_new(o, "cleared_s", tr->bed[i].recanalized >= 0 ? HavocJsonReal(tr->bed[i].recanalized) : json_null());
    json_array_append_new(beds, o);
  }
  json_object_set_new(jt, "beds", beds);
  json_object_set_new(jt, "recanalized_slugs", json_integer(nrec));
  json_object_set_new(jt, "network_solves", json_integer(tr->nsolve));
  json_object_set_new(jt, "tissue_flow_updates", json_integer(tr->nflows));
  json_object_set_new(jt, "migrations", json_integer(tr->nmoved));
  json_object_set_new(jt, "necrotic_area_cm2", HavocJsonReal(1e4 * tr->necrotic_end));
  json_object_set_new(jt, "necrotic_area_at_s", HavocJsonReal(tr->t_end));
  /* units: injected into the tissue = on the map + decayed there + taken into gel; taken and the
     intra-arterial units = in gel + decayed in gel + left with blood */
  json_object_set_new(bal, "tissue_injected_U", HavocJsonReal(inj));
  json_object_set_new(bal, "tissue_on_map_U", HavocJsonReal(on_map));
  json_object_set_new(bal, "tissue_decayed_U", HavocJsonReal(decayed));
  json_object_set_new(bal, "into_gel_U", HavocJsonReal(taken));
  json_object_set_new(bal, "in_gel_U", HavocJsonReal(tr->gel_E));
  json_object_set_new(bal, "gel_decayed_U", HavocJsonReal(tr->gel_decayed));
  json_object_set_new(bal, "blood_U", HavocJsonReal(tr->blood_lost));
  json_object_set_new(bal, "relative_error", HavocJsonReal(units > 0 ? PetscAbsReal(units - on_map - decayed - tr->gel_E - tr->gel_decayed - tr->blood_lost) / units : 0));
  json_object_set_new(jt, "enzyme_balance", bal);
  if (tr->vaso_start >= 0) {
    json_t *v = json_object();
    json_object_set_new(v, "start_s", HavocJsonReal(tr->vaso_start));
    json_object_set_new(v, "duration_s", HavocJsonReal(tr->vaso_duration));
    json_object_set_new(v, "resistance_factor", HavocJsonReal(tr->vaso_factor));
    json_object_set_new(jt, "vasodilation", v);
  }
  json_object_set_new(root, "treatment", jt);
  PetscFunctionReturn(0);
}

PetscErrorCode TreatmentDestroy(Treatment *ptr)
{
  Treatment tr = *ptr;

  PetscFunctionBeginUser;
  if (!tr) PetscFunctionReturn(0);
  PetscCall(EnzymeTissueDestroy(&tr->et));
  PetscCall(PetscFree(tr->slug));
  PetscCall(PetscFree(tr->bed));
  PetscCall(PetscFree(tr->oparam0));
  PetscCall(PetscFree(tr->deep));
  PetscCall(PetscFree(tr->ischemic));
  PetscCall(PetscFree(tr->vaso_terr));
  PetscCall(PetscFree(tr->dose));
  PetscCall(PetscFree2(tr->q_set, tr->q_base));
  PetscCall(PetscFree(tr->rec));
  PetscCall(PetscFree(tr->flowrec));
  PetscCall(PetscFree5(tr->sum, tr->cnt, tr->c0, tr->take, tr->integ));
  PetscCall(PetscFree(tr));
  *ptr = NULL;
  PetscFunctionReturn(0);
}

PetscErrorCode TreatmentWrite(Treatment tr, HavocResult r)
{
  const PetscInt nv = tr->mesh->nvessels;
  PetscReal     *col, *flows;
  const char    *name[4]  = {"t", "ha_fraction", "enzyme_gel", "enzyme_map"};
  const char    *units[4] = {"s", "1", "U", "U"};

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc2(tr->nrec + 1, &col, tr->nflowrec * nv + 1, &flows));
  for (PetscInt c = 0; c < 4; c++) {
    for (PetscInt k = 0; k < tr->nrec; k++)
      col[k] = tr->rec[4 * k + c];
    PetscCall(HavocResultWriteArray(r, "treatment", name[c], tr->nrec, 0, col, units[c]));
  }
  for (PetscInt k = 0; k < tr->nflowrec; k++) {
    col[k] = tr->flowrec[k * (1 + nv)];
    PetscCall(PetscArraycpy(flows + k * nv, tr->flowrec + k * (1 + nv) + 1, nv));
  }
  PetscCall(HavocResultWriteArray(r, "treatment", "flow_t", tr->nflowrec, 0, col, "s"));
  PetscCall(HavocResultWriteArray(r, "treatment", "flow", tr->nflowrec, nv, flows, "m^3/s"));
  PetscCall(PetscFree2(col, flows));
  PetscFunctionReturn(0);
}
