/* Hyaluronidase (docs/model.md, "Hyaluronidase"; issue 6, in progress): the enzyme products, a dose
   schedule, and the digestion of a gel by the enzyme that reaches it.

   HA in a filler gel (15-26 mg/mL) is far above the enzyme's Michaelis constant (about 1 mg/mL), so the
   digestion is zero order in HA: the HA mass M of a gel falls at

     dM/dt = -beta s E(t)

   with E the active units in contact with the gel, beta the HA digested per unit and second, and s the
   product's susceptibility (1 for a gel digested at beta; the filler table's values, fitted to
   dissolution data, in filler.h and docs/products.md). Active enzyme decays at the rate
   lambda = ln 2 / half-life of where it is (tissue 10-30 min, blood about 2 min, a test tube hours). A gel
   counts as dissolved when its HA fraction x = M / M0 falls to x_c. */
#pragma once

#include "havoc.h"
#include "provenance.h"

/* Where each tabulated value of a product comes from (provenance.h). */
typedef struct {
  HavocProvenance strength, half_life_tissue, half_life_blood;
} HavocEnzymeProvenance;

typedef struct {
  const char           *name;
  const char           *label;            /* trade name */
  const char           *source;           /* bovine, ovine or recombinant human testicular hyaluronidase */
  PetscReal             strength;         /* [U m^-3] (150 U/mL is 1.5e8) */
  PetscReal             half_life_tissue; /* of active enzyme in dermis and subcutis [s] */
  PetscReal             half_life_blood;  /* of active enzyme in blood and plasma [s] */
  HavocEnzymeProvenance prov;             /* source and confidence of the strength and the half-lives */
} HavocEnzymeProduct;

/* Looks a product up by name; *found = PETSC_FALSE when it is not in the table. */
PETSC_EXTERN PetscErrorCode HavocEnzymeFind(const char name[], HavocEnzymeProduct *p, PetscBool *found);
/* The product names, comma-separated, for messages and help. */
PETSC_EXTERN PetscErrorCode HavocEnzymeList(char buf[], size_t len);

typedef enum {
  ENZYME_SINGLE,   /* one dose at the start */
  ENZYME_REPEATED, /* -enzyme_count doses every -enzyme_interval */
  ENZYME_PULSED    /* doses every -enzyme_interval (default 1 h) until reperfusion (the assay: until dissolved), at most -enzyme_count */
} HavocEnzymePreset;
PETSC_EXTERN const char *const HavocEnzymePresets[];

/* What every model of the enzyme shares: the product, the schedule and the kinetics. */
typedef struct {
  HavocEnzymeProduct product;
  HavocEnzymePreset  preset;
  PetscReal          start;              /* time of the first dose [s] */
  PetscReal          units;              /* units per dose [U] */
  PetscReal          volume;             /* volume per dose [m^3] */
  PetscReal          interval;           /* between doses [s] */
  PetscInt           count;              /* most doses */
  PetscReal          beta;               /* HA digested per active unit [kg U^-1 s^-1] */
  PetscReal          susceptibility;     /* of the gel, relative to the reference gel [dimensionless] */
  PetscReal          half_life;          /* of active enzyme where it acts [s]; 0: stable */
  PetscReal          x_dissolved;        /* HA fraction at which a gel counts as dissolved */
  PetscBool          susceptibility_set; /* given by -enzyme_susceptibility; if not, callers use the filler product's own */
} HavocEnzyme;

/* Options -enzyme_* (every one with its unit); half_life_default is that of the place the enzyme acts in
   (the assay: a test tube, stable: 0). The susceptibility is 1 unless -enzyme_susceptibility is given
   (then susceptibility_set is true): a caller that knows the filler puts the product's value in instead. */
PETSC_EXTERN PetscErrorCode HavocEnzymeSetFromOptions(MPI_Comm comm, PetscReal half_life_default, HavocEnzyme *e);
/* The time of dose k (0, 1, ...), or -1 past the schedule's last (for the pulsed preset, doses go on until
   the caller stops them). */
PETSC_EXTERN PetscReal HavocEnzymeDoseTime(const HavocEnzyme *e, PetscInt k);

/* A well-mixed gel and the enzyme in contact with it. */
typedef struct {
  PetscReal M0, M; /* HA mass at the start and now [kg] */
  PetscReal E;     /* active units in contact [U] */
} HavocEnzymeGel;

/* Advances gel g by h [s] with no dose inside the step: E decays exactly, M falls by beta s times the
   integral of E over the step, and stops at zero. */
PETSC_EXTERN void HavocEnzymeGelStep(const HavocEnzyme *e, HavocEnzymeGel *g, PetscReal h);
/* The time [s] for gel g to reach HA mass M_target with its present enzyme and no more doses (0 if it is
   there already, -1 if the enzyme decays first). */
PETSC_EXTERN PetscReal HavocEnzymeGelTimeTo(const HavocEnzyme *e, const HavocEnzymeGel *g, PetscReal M_target);

/* The in-vitro contact model (docs/model.md, "The assay on a slide"): a bead of gel on a slide under a
   well-mixed enzyme solution. The enzyme enters the gel through its exposed surface by diffusion into a
   semi-infinite gel, the solution's concentration being a step at each dose (Duhamel), and digests HA
   where it is at zero order; the bead keeps its shape as it shrinks (exposed area ~ (M/M0)^(2/3)), and
   the enzyme decays at the same rate in the solution and the gel. */
typedef struct {
  PetscReal  A0, D;    /* exposed area of the intact bead [m^2], enzyme diffusivity in the gel [m^2 s^-1] */
  PetscReal  L, V;     /* active units in the solution [U], volume of the solution [m^3] */
  PetscInt   n, nmax;  /* doses so far, room for */
  PetscReal *t, *jump; /* time of each dose [s], the step of the solution's concentration it made [U m^-3] */
} HavocEnzymeContact;

PETSC_EXTERN PetscErrorCode HavocEnzymeContactCreate(PetscReal A0, PetscReal D, PetscInt nmax, HavocEnzymeContact *c);
/* A dose of units [U] in volume [m^3] added to the solution at time t [s] (at most nmax doses). */
PETSC_EXTERN PetscErrorCode HavocEnzymeContactDose(HavocEnzymeContact *c, PetscReal t, PetscReal units, PetscReal volume);
/* Advances gel g from t by h [s] (no dose inside the step): g->E becomes the active units inside the gel at
   the middle of the step (at most those in the solution), M falls by beta s g->E h. */
PETSC_EXTERN void           HavocEnzymeContactStep(const HavocEnzyme *e, HavocEnzymeContact *c, HavocEnzymeGel *g, PetscReal t, PetscReal h);
PETSC_EXTERN PetscErrorCode HavocEnzymeContactDestroy(HavocEnzymeContact *c);
