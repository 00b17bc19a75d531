/* Bolus: an HA filler bolus in the arteries, docs/model.md "The HA bolus".

   Injection. The needle tip sits on a vessel (name and fraction of its length) or at a point of the face
   frame snapped to the nearest vessel whose lumen (plus a tolerance) contains it; a tip in no vessel is an
   extravascular injection and nothing embolizes. The syringe adds volume to the cell of the tip at the
   set rate while the pressure there is below the cap, and less as the tip pressure approaches the cap
   (the thumb cannot push harder). What leaves the needle is gel.

   Slugs. Gel is a list of Lagrangian slugs (vessel, arc span [xa, xb], volume, state), the same on every
   rank: each step, the ranks that own the vessels under the slugs contribute the flow data the slugs need
   to one reduction, and every rank applies the same deterministic update, so slug paths do not depend on
   the rank count. A slug's ends move with the mean velocity of the cells it covers on either side of its
   middle (of the needle tip while it is fed), and its length follows from its volume. The cells it covers
   get the drag of a Bingham plug (yield stress and apparent viscosity, point-implicit after the blood
   friction). At a junction the gel that passes a vessel end is shared among the vessels that carry flow
   away from the node in proportion to those flows, each share at least the volume of one fragment; gel
   that would enter a lumen narrower than a fragment wedges at its entrance (lodged by size, a Darcy
   resistance); gel that reaches a terminal is delivered to its capillary bed, whose resistance rises
   (microembolization). A slug that has not moved over a cardiac cycle is lodged (held by its yield
   stress). Gel volume is conserved: injected = in slugs + in terminal beds.

   Chronic hand-over. Once the injection is over and no slug has moved for -bolus_settle_cycles cycles (or
   after -bolus_acute_time), every slug is a series Darcy resistance mu l / (k A) of its vessel and every
   embolized bed an extra resistance of its terminal vessel in the steady network (BolusApplySteady). */
#pragma once

#include "filler.h"
#include "hemo.h"
#include "steady.h"

typedef enum {
  HAVOC_SLUG_MOVING,
  HAVOC_SLUG_LODGED,
  HAVOC_SLUG_DISSOLVED
} HavocSlugState;
PETSC_EXTERN const char *const HavocSlugStates[];

typedef enum {
  HAVOC_LODGE_NONE,
  HAVOC_LODGE_SIZE,  /* wedged: the lumen ahead is narrower than a fragment */
  HAVOC_LODGE_YIELD, /* held by its yield stress: did not move over a cycle */
} HavocLodgeReason;
PETSC_EXTERN const char *const HavocLodgeReasons[];

typedef struct {
  PetscInt         id;     /* unique over the run; a merged slug keeps the older id */
  PetscInt         parent; /* id of the slug it split from, or -1 */
  PetscInt         vessel; /* mesh index */
  PetscReal        xa, xb; /* arc span [m], 0 <= xa <= xb <= length */
  PetscReal        V;      /* gel volume [m^3] */
  HavocSlugState   state;
  HavocLodgeReason reason;
  PetscBool        at_tip;  /* contains the needle tip while the syringe pushes */
  PetscBool        held;    /* this step the pressure across it is below 2 tau_y l / r: it stays, blood only seeps */
  PetscReal        x_cycle; /* centre at the last cycle boundary [m] (-1: created since) */
  PetscInt         v_cycle; /* vessel at the last cycle boundary */
  PetscReal        x;       /* HA fraction left by the enzyme (1: intact) */
} HavocSlug;

/* One row of the trajectory record: a slug at a time. */
typedef struct {
  PetscReal t, xa, xb, V;
  PetscInt  id, vessel, state;
} HavocSlugRecord;

typedef struct _p_Bolus *Bolus;

/* The bolus of a pulsatile solver (which must outlive it). */
PETSC_EXTERN PetscErrorCode BolusCreate(Hemo hemo, Bolus *b);
/* Options with the prefix -bolus_; *active tells whether the case has a bolus at all. */
PETSC_EXTERN PetscErrorCode BolusSetFromOptions(Bolus b, PetscBool *active);
/* After HemoSetUp: places the tip, checks the values against the network, attaches to the solver. The
   healthy steady flow of every vessel (mesh order) sizes the capillary volume of the beds; its pressures at
   the two ends of every vessel tell how proximal a point reached by gel is. */
PETSC_EXTERN PetscErrorCode BolusSetUp(Bolus b, const PetscReal base_q[], const PetscReal base_p0[], const PetscReal base_pL[]);
/* Puts gel over [xa, xb] of a vessel (mesh index), filling its reference lumen, wedged (a Darcy plug that
   does not move) or not (a Bingham plug); counted as injected. For tests and prescribed occlusions. */
PETSC_EXTERN PetscErrorCode BolusPlaceSlug(Bolus b, PetscInt vessel, PetscReal xa, PetscReal xb, PetscBool wedged);
/* Arms the injection at the solver's current time plus -bolus_start and sets the end time of the acute
   phase; HemoSolve then runs it and stops when the gel has settled. */
PETSC_EXTERN PetscErrorCode BolusStart(Bolus b);
PETSC_EXTERN PetscErrorCode BolusDestroy(Bolus *b);
/* The bolus's state (the injection, every slug, the beds, the trajectory record, the settling test and
   the embolized outlets) into a checkpoint, and back into a bolus set up (BolusSetUp) for the same case. */
PETSC_EXTERN PetscErrorCode BolusCheckpointWrite(Bolus b, HavocCheckpoint ck);
PETSC_EXTERN PetscErrorCode BolusCheckpointRead(Bolus b, HavocCheckpoint ck);

/* State, identical on every rank. */
PETSC_EXTERN PetscErrorCode BolusGetSlugs(Bolus b, PetscInt *n, const HavocSlug **slugs);
/* Gel that left the needle, in slugs, in terminal beds [m^3]. */
PETSC_EXTERN PetscErrorCode BolusGetVolumes(Bolus b, PetscReal *injected, PetscReal *in_slugs, PetscReal *in_beds);
/* Gel in the bed of every terminal vessel [m^3] and its capillary volume [m^3], mesh order. */
PETSC_EXTERN PetscErrorCode BolusGetBeds(Bolus b, const PetscReal **bed, const PetscReal **capillary);
PETSC_EXTERN PetscErrorCode BolusGetTrajectory(Bolus b, PetscInt *n, const HavocSlugRecord **rows);

typedef struct {
  PetscBool   extravascular;
  PetscInt    tip_vessel;        /* mesh index, -1 when extravascular */
  PetscReal   tip_x;             /* arc position [m] */
  PetscReal   snap_distance;     /* from the given point to the centreline [m] (0 with -bolus_vessel) */
  PetscReal   requested;         /* volume set [m^3] */
  PetscBool   complete;          /* the whole volume left the needle */
  PetscReal   peak_tip_pressure; /* [Pa] */
  PetscReal   injection_time;    /* from the first to the last gel out of the needle [s] */
  PetscBool   reached_vessel_set;
  PetscInt    proximal_vessel; /* the point reached by gel where the healthy pressure is highest */
  PetscReal   proximal_x, proximal_pressure;
  PetscBool   settled; /* the acute phase ended because no slug moved (not by its time limit) */
  PetscReal   t_start, t_end;
  HavocFiller filler;
} BolusInfo;
PETSC_EXTERN PetscErrorCode BolusGetInfo(Bolus b, BolusInfo *info);
/* Did gel ever enter the vessel (mesh index)? */
PETSC_EXTERN PetscErrorCode BolusReached(Bolus b, PetscInt vessel, PetscBool *reached);

/* Was the gel restored from an earlier run's summary.json (-bolus_restart) instead of injected? */
PETSC_EXTERN PetscErrorCode BolusRestored(Bolus b, PetscBool *restored);
/* Treatment (treatment.h). Gel dissolved by the enzyme [m^3]: injected = in slugs + in beds + dissolved. */
PETSC_EXTERN PetscErrorCode BolusGetDissolved(Bolus b, PetscReal *dissolved);
/* Sets the HA fraction x of the slug with this id; at or below x_dissolved it is dissolved: its fragments
   wash out, the lumen opens and the slug leaves the list (*dissolved, recorded at time t [s]). The
   slug's permeability is k x^-1.5 and its yield stress tau_y x^2 from now on. */
PETSC_EXTERN PetscErrorCode BolusSetSlugFraction(Bolus b, PetscInt id, PetscReal x, PetscReal x_dissolved, PetscReal t, PetscBool *dissolved);
/* The HA fraction of the gel in every bed (mesh order), and setting one (dissolved at x_dissolved: the bed
   is clear). */
PETSC_EXTERN PetscErrorCode BolusGetBedFractions(Bolus b, const PetscReal **x);
PETSC_EXTERN PetscErrorCode BolusSetBedFraction(Bolus b, PetscInt vessel, PetscReal x, PetscReal x_dissolved, PetscBool *dissolved);
/* In the chronic network with flows Q and end pressures p0, pL (every vessel): a slug not wedged by size
   whose Darcy pressure drop exceeds its hold pressure 2 tau_y x^2 l / r yields and migrates down the
   pressure gradient along the branches of most healthy flow until a lumen holds it (the hold pressure
   grows as r^-3) or it reaches a terminal and washes into its bed. *nmoved counts them (recorded at t). */
PETSC_EXTERN PetscErrorCode BolusMobilize(Bolus b, const PetscReal Q[], const PetscReal p0[], const PetscReal pL[], PetscReal t, PetscInt *nmoved);

/* The chronic network: every slug as a series Darcy resistance of its vessel and every embolized bed as an
   extra resistance of its terminal vessel. */
PETSC_EXTERN PetscErrorCode BolusApplySteady(Bolus b, Steady s);
