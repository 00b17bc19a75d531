/* Tissue oxygen on a map of cells (docs/model.md, "Tissue oxygen").

   Each cell of a 2D map (a PETSc DMDA, one unknown per cell: the tissue oxygen partial pressure P [Pa])
   is a column of tissue. Oxygen diffuses between neighbouring tissue cells, is brought by the blood that
   perfuses the cell, is consumed by the tissue, and (optionally) comes in through the skin surface. The
   steady balance per unit tissue volume [mol m^-3 s^-1] is

     0 = alpha D lap P + w (C_a - C(P)) - M(P) + s (P_s - P) / H

   alpha O2 solubility in tissue, D O2 diffusivity, w perfusion [1/s] (blood flow per tissue volume),
   C(P) = C_Hb S(P) + alpha_b P the O2 content of blood at partial pressure P (Hill saturation S), C_a
   that of arterial blood: the venous blood leaves in equilibrium with the tissue. M(P) = M0 P / (P + P_m)
   (Michaelis-Menten), or k P (linear, for tests); s the surface conductance, P_s the surface partial
   pressure and H the tissue thickness. Oxygen comes to equilibrium in seconds to minutes, far faster
   than tissue dies or the network changes, so the map is solved for its steady state whenever the
   perfusion changes.

   Cells are tissue, fixed (P given: a boundary value) or outside (no tissue, no flux across their
   faces); the map's own edges carry no flux either. */
#pragma once

#include <petscdmda.h>
#include <petscsnes.h>

#include "havoc.h"

typedef enum {
  OXYGEN_OUTSIDE = 0,
  OXYGEN_TISSUE  = 1,
  OXYGEN_FIXED   = 2
} OxygenCellKind;

typedef enum {
  OXYGEN_MICHAELIS_MENTEN,
  OXYGEN_LINEAR
} OxygenConsumption;
PETSC_EXTERN const char *const OxygenConsumptions[];

typedef struct {
  PetscReal         alpha;       /* O2 solubility in tissue [mol m^-3 Pa^-1] */
  PetscReal         D;           /* O2 diffusivity in tissue [m^2 s^-1] */
  OxygenConsumption consumption; /* law of M(P) */
  PetscReal         M0;          /* largest consumption (Michaelis-Menten) [mol m^-3 s^-1] */
  PetscReal         Pm;          /* half-consumption partial pressure [Pa] */
  PetscReal         k_lin;       /* linear consumption rate [mol m^-3 s^-1 Pa^-1] */
  PetscReal         P_a;         /* arterial O2 partial pressure [Pa] */
  PetscReal         C_Hb;        /* O2 capacity of blood bound to haemoglobin [mol m^-3] */
  PetscReal         alpha_b;     /* O2 solubility in blood [mol m^-3 Pa^-1] */
  PetscReal         P50, hill;   /* Hill saturation curve: half saturation [Pa] and exponent */
  PetscBool         surface;     /* oxygen through the skin surface */
  PetscReal         P_s;         /* surface O2 partial pressure [Pa] */
  PetscReal         s_cond;      /* surface conductance [mol m^-2 s^-1 Pa^-1] */
  PetscReal         H;           /* tissue thickness under the surface [m] */
} OxygenParams;

typedef struct _p_Oxygen *Oxygen;

/* An oxygen solver on da (2D, one dof, stencil width >= 1) whose cells are dx by dy [m]. The kind, the
   perfusion w [1/s] and the fixed values [Pa] of the cells start as tissue, 0 and 0: set them through
   the vectors of OxygenGetFields (global vectors of da). */
PETSC_EXTERN PetscErrorCode OxygenCreate(DM da, PetscReal dx, PetscReal dy, Oxygen *o);
/* The default parameters, and the options -tissue_o2_* (every parameter with its unit) over them. */
PETSC_EXTERN PetscErrorCode OxygenParamsDefault(OxygenParams *p);
PETSC_EXTERN PetscErrorCode OxygenParamsSetFromOptions(MPI_Comm comm, OxygenParams *p);

PETSC_EXTERN PetscErrorCode OxygenSetParams(Oxygen o, const OxygenParams *p);
PETSC_EXTERN PetscErrorCode OxygenGetFields(Oxygen o, Vec *kind, Vec *w, Vec *P_fixed);
/* The steady map for the current fields; P holds the initial guess (e.g. the last solution) and
   receives the answer. Errors if Newton does not converge. */
PETSC_EXTERN PetscErrorCode OxygenSolve(Oxygen o, Vec P);
/* O2 content of blood [mol m^-3] at partial pressure P [Pa]. */
PETSC_EXTERN PetscReal      OxygenBloodContent(const OxygenParams *p, PetscReal P);
PETSC_EXTERN PetscErrorCode OxygenDestroy(Oxygen *o);
