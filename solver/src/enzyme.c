/* Hyaluronidase: products, dose schedule, zero-order digestion of a gel (enzyme.h). Product strengths:
   ../reference/ha-enzyme-ischemia.md ("ref") section 2A (labels); the digestion per unit: the classical
   turbidity unit, about 3 ug of HA per minute under assay conditions (section 2B, an order of magnitude
   [D]); half-lives in section 2D. docs/products.md gives the table with its sources. */
#include "enzyme.h"
#include "options.h"

#include <string.h>

const char *const HavocEnzymePresets[] = {"single", "repeated", "pulsed", "HavocEnzymePreset", "ENZYME_", NULL};

/* Half-lives of active enzyme (ref 2D). In tissue: intradermal rHuPH20 in mice loses its activity near
   the injection site quickly after 15 min (Kang 2021 [V]), the skin's HA barrier is back within 24 h
   (Bookbinder 2006); ref 2D puts the first-order inactivation at 10-30 min [D], and we take its middle,
   20 min, for every product: no product-specific tissue value is documented. In blood and plasma the
   serum inhibitors act within minutes: the ACE guideline gives a plasma half-life of about 2 min (King
   2018 [V]), for hyaluronidase in general, used for every product. */
#define HL_TISSUE 1200.0 /* s */
#define HL_BLOOD  120.0  /* s */
#define TISSUE_RH "Kang 2021 (rHuPH20, mouse dermis); ref 2D 10-30 min", 'D'
#define TISSUE    "ref 2D 10-30 min (Kang 2021 for rHuPH20); no product value", 'D'
#define BLOOD     "King 2018 (ACE): about 2 min in plasma", 'V'

static const HavocEnzymeProduct table[] = {
  /* strengths in U per m^3: 150 U/mL = 150e6 */
  {"hylenex", "Hylenex recombinant", "recombinant human (rHuPH20)", 150e6, HL_TISSUE, HL_BLOOD, {{"openFDA NDC 18657-117 (ref 2A)", 'V'}, {TISSUE_RH}, {BLOOD}}},
  {"amphadase", "Amphadase", "bovine", 150e6, HL_TISSUE, HL_BLOOD, {{"openFDA NDC 0548-9090 and label (ref 2A)", 'V'}, {TISSUE}, {BLOOD}}},
  {"hydase", "Hydase", "bovine", 150e6, HL_TISSUE, HL_BLOOD, {{"label (ref 2A)", 'V'}, {TISSUE}, {BLOOD}}},
  {"vitrase", "Vitrase", "ovine", 200e6, HL_TISSUE, HL_BLOOD, {{"ref 2A", 'M'}, {TISSUE}, {BLOOD}}},
  {"hyalase", "Hyalase 1500 IU (in 1 mL)", "ovine", 1500e6, HL_TISSUE, HL_BLOOD, {{"SmPC, medicines.org.uk (ref 2A); ovine [M]", 'V'}, {TISSUE}, {BLOOD}}},
  {"hylase_dessau", "Hylase Dessau 150", "bovine", 150e6, HL_TISSUE, HL_BLOOD, {{"ref 2A (bovine [V], strengths [M])", 'M'}, {TISSUE}, {BLOOD}}},
};
#define NPRODUCTS ((PetscInt)(sizeof(table) / sizeof(table[0])))

PetscErrorCode HavocEnzymeFind(const char name[], HavocEnzymeProduct *p, PetscBool *found)
{
  PetscFunctionBeginUser;
  *found = PETSC_FALSE;
  for (PetscInt i = 0; i < NPRODUCTS && !*found; i++)
    if (!strcmp(name, table[i].name)) {
      *p     = table[i];
      *found = PETSC_TRUE;
    }
  PetscFunctionReturn(0);
}

PetscErrorCode HavocEnzymeList(char buf[], size_t len)
{
  PetscFunctionBeginUser;
  buf[0] = 0;
  for (PetscInt i = 0; i < NPRODUCTS; i++)
    PetscCall(HavocListAppend(buf, len, table[i].name));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocEnzymeSetFromOptions(MPI_Comm comm, PetscReal half_life_default, HavocEnzyme *e)
{
  char      name[64] = "hylenex", list[256];
  PetscEnum preset   = (PetscEnum)ENZYME_SINGLE;
  PetscBool found, vol_set, s_set;
  PetscReal hl = half_life_default;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(e, sizeof(*e)));
  e->units          = 150;
  e->interval       = 3600;
  e->count          = 1;
  e->beta           = 3e-9 / 60; /* 3 ug of HA per unit and minute */
  e->susceptibility = 1;
  e->x_dissolved    = 0.3;
  PetscCall(HavocEnzymeList(list, sizeof(list)));
  PetscOptionsBegin(comm, "enzyme_", "Hyaluronidase (docs/model.md, Hyaluronidase)", NULL);
  PetscCall(PetscOptionsString("-product", "hyaluronidase product", NULL, name, name, sizeof(name), NULL));
  PetscCall(PetscOptionsEnum("-preset", "dose schedule: single, repeated (-enzyme_count doses), pulsed (every -enzyme_interval until reperfusion)", NULL, HavocEnzymePresets, preset, &preset, NULL));
  PetscCall(HavocOptionsQuantity("-start", "time of the first dose", "s", e->start, &e->start, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-units", "units per dose", "U", e->units, &e->units, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-volume", "volume per dose (default: the units at the product's strength)", "m^3", e->volume, &e->volume, &vol_set, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-interval", "time between doses (repeated and pulsed)", "s", e->interval, &e->interval, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsIntRange("-count", "most doses, a number (repeated: this many; pulsed: at most this many)", e->count, &e->count, NULL, 1, 1000));
  PetscCall(HavocOptionsQuantity("-digestion", "HA digested per active unit (about 3 ug per unit and minute)", "kg U^-1 s^-1", e->beta, &e->beta, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-susceptibility", "susceptibility of the gel to the enzyme, dimensionless, relative to a gel digested at -enzyme_digestion (default: the filler product's, docs/products.md; 1 without one)", "", e->susceptibility, &e->susceptibility, &s_set, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-half_life", "half-life of active enzyme where it acts (0: stable)", "s", hl, &hl, NULL, 0, PETSC_MAX_REAL));
  PetscCall(HavocOptionsQuantity("-dissolved_fraction", "HA fraction of a gel below which it counts as dissolved, dimensionless", "", e->x_dissolved, &e->x_dissolved, NULL, 0, 1));
  PetscOptionsEnd();
  PetscCall(HavocEnzymeFind(name, &e->product, &found));
  HavocCheckUser(found, comm, "option -enzyme_product: unknown product '%s' (expected one of: %s)", name, list);
  e->preset             = (HavocEnzymePreset)preset;
  e->half_life          = hl;
  e->susceptibility_set = s_set;
  if (!vol_set) e->volume = e->units / e->product.strength;
  if (e->preset == ENZYME_SINGLE) e->count = 1;
  if (e->preset == ENZYME_PULSED && e->count == 1) e->count = 1000;
  PetscFunctionReturn(0);
}

PetscReal HavocEnzymeDoseTime(const HavocEnzyme *e, PetscInt k)
{
  if (k < 0 || k >= e->count) return -1;
  return e->start + k * e->interval;
}

/* The decay rate of active enzyme [s^-1]; 0 for a stable one. */
static PetscReal Lambda(const HavocEnzyme *e)
{
  return e->half_life > 0 ? PetscLogReal(2.0) / e->half_life : 0;
}

void HavocEnzymeGelStep(const HavocEnzyme *e, HavocEnzymeGel *g, PetscReal h)
{
  const PetscReal lambda = Lambda(e), z = lambda * h;
  /* integral of E over the step: E0 (1 - exp(-z)) / lambda, with its limit E0 h for a stable enzyme */
  const PetscReal decay = PetscExpReal(-z), integral = z > 1e-8 ? g->E * (1 - decay) / lambda : g->E * h * (1 - 0.5 * z);

  g->M = PetscMax(g->M - e->beta * e->susceptibility * integral, 0);
  g->E *= decay;
}

PetscReal HavocEnzymeGelTimeTo(const HavocEnzyme *e, const HavocEnzymeGel *g, PetscReal M_target)
{
  const PetscReal lambda = Lambda(e), need = g->M - M_target, rate = e->beta * e->susceptibility * g->E;

  if (need <= 0) return 0;
  if (!(rate > 0)) return -1;
  if (lambda == 0) return need / rate;
  if (lambda * need / rate >= 1) return -1; /* the enzyme decays before it digests that much */
  return -PetscLogReal(1 - lambda * need / rate) / lambda;
}

PetscErrorCode HavocEnzymeContactCreate(PetscReal A0, PetscReal D, PetscInt nmax, HavocEnzymeContact *c)
{
  PetscFunctionBegin;
  PetscCall(PetscMemzero(c, sizeof(*c)));
  c->A0   = A0;
  c->D    = D;
  c->nmax = nmax;
  PetscCall(PetscMalloc2(nmax, &c->t, nmax, &c->jump));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocEnzymeContactDose(HavocEnzymeContact *c, PetscReal t, PetscReal units, PetscReal volume)
{
  const PetscReal before = c->V > 0 ? c->L / c->V : 0;

  PetscFunctionBegin;
  PetscCheck(c->n < c->nmax, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "contact model: room for %" PetscInt_FMT " doses only", c->nmax);
  c->L += units;
  c->V += volume;
  c->t[c->n]    = t;
  c->jump[c->n] = c->L / c->V - before;
  c->n++;
  PetscFunctionReturn(0);
}

void HavocEnzymeContactStep(const HavocEnzyme *e, HavocEnzymeContact *c, HavocEnzymeGel *g, PetscReal t, PetscReal h)
{
  const PetscReal lambda = Lambda(e), mid = t + 0.5 * h, rate = e->beta * e->susceptibility;
  PetscReal       w = 0, E, M_mid;

  /* units in the gel per unit area after a step dc of the surface concentration at t_k: 2 dc sqrt(D (t - t_k) / pi),
     times exp(-lambda (t - t_k)); the square root averaged exactly over the step, the decay at its middle */
  for (PetscInt k = 0; k < c->n; k++) {
    const PetscReal a = PetscMax(t - c->t[k], 0), b = PetscMax(t + h - c->t[k], 0);
    w += c->jump[k] * PetscExpReal(-lambda * PetscMax(mid - c->t[k], 0)) * (2.0 / 3) * (b * PetscSqrtReal(b) - a * PetscSqrtReal(a)) / h;
  }
  w *= 2 * PetscSqrtReal(c->D / PETSC_PI);
  c->L *= PetscExpReal(-lambda * h);
  /* the area at the middle of the step (midpoint rule, second order in h) */
  E     = PetscMin(c->A0 * PetscPowReal(g->M / g->M0, 2.0 / 3) * w, c->L);
  M_mid = PetscMax(g->M - 0.5 * rate * E * h, 0);
  g->E  = PetscMin(c->A0 * PetscPowReal(M_mid / g->M0, 2.0 / 3) * w, c->L);
  g->M  = PetscMax(g->M - rate * g->E * h, 0);
}

PetscErrorCode HavocEnzymeContactDestroy(HavocEnzymeContact *c)
{
  PetscFunctionBegin;
  PetscCall(PetscFree2(c->t, c->jump));
  PetscFunctionReturn(0);
}
