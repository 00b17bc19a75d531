/* Tissue damage: the three-state (alive / toxic / dead) cell-death model (docs/model.md, "Tissue").

   This is model B ("vulnerability + propagation") of the INSIST tissue-health code, Xue et al. 2022,
   with the rate constants and the death threshold of that code's public configuration; the neighbour
   propagation step of the original is not part of it. Each tissue cell carries two numbers: a toxic
   load T in [0, 1], which builds up while the cell is under-supplied and is cleared by the living part
   of the cell when supply is adequate, and a dead fraction D in [0, 1] (the alive fraction is A = 1 - D),
   which grows only while T exceeds the threshold T_d:

     dT/dt = s (k_t V (1 - T) - k_c (1 - V) A T)
     dD/dt = s k_f A T   if T > T_d, else 0           T = D = 0 at the start.

   V in [0, 1] is the vulnerability: one minus the relative oxygen supply (or relative perfusion) of the
   cell, so V = 0 is a healthy cell and V = 1 is total ischaemia. Because clearance grows with 1 - V, T
   settles below T_d, and no cell dies, for V below about 0.70 (70 % loss of supply). s > 0 is a rate
   scale per tissue: every rate is multiplied by s, so every time to damage is divided by s; it is fitted
   with HavocDamageCalibrate so that total ischaemia kills a given fraction of a tissue at the time
   observed for it (skin, retina). With s = 1 the model has the brain time scale of the original. */
#pragma once

#include "havoc.h"

typedef struct {
  PetscReal kf;    /* death rate of toxic cells [s^-1] */
  PetscReal kt;    /* build-up rate of the toxic state under ischaemia [s^-1] */
  PetscReal kc;    /* clearance rate of the toxic state by living tissue [s^-1] */
  PetscReal Td;    /* toxic level above which cells die [-] */
  PetscReal scale; /* per-tissue rate scale s [-] */
} HavocDamage;

/* The constants of the INSIST configuration (k_f = 6.0644e-4, k_t = 4.29805e-3, k_c = 0.0999227 s^-1,
   T_d = 0.0916) and scale 1. */
PETSC_EXTERN void HavocDamageDefaults(HavocDamage *d);
/* Advances one cell by dt [s] under a vulnerability V held constant over the step. Stable for any dt;
   second order, with errors under 1e-2 in T and 1e-4 in D at dt = 10 min and scale 1, and under 1e-5 at
   dt = 1 min and the skin scale (tests/validation/val_damage.c). T stays in [0, 1], D in [0, 1], and D
   never decreases. */
PETSC_EXTERN void HavocDamageStep(const HavocDamage *d, PetscReal V, PetscReal dt, PetscReal *T, PetscReal *D);
/* Time [s] for a cell starting at T = D = 0 under constant V to reach D >= D_target, stepping with
   HavocDamageStep at dt and interpolating linearly in the last step; PETSC_MAX_REAL if it is not reached
   by t_max. */
PETSC_EXTERN PetscErrorCode HavocDamageTimeTo(const HavocDamage *d, PetscReal V, PetscReal D_target, PetscReal t_max, PetscReal dt, PetscReal *t);
/* The scale s with which total ischaemia (V = 1) brings D to D_target at exactly t_target [s], using the
   rate constants and threshold of base (its own scale is ignored). Solved from the exact solution at
   V = 1 to a relative tolerance of 1e-12 on the time. */
PETSC_EXTERN PetscErrorCode HavocDamageCalibrate(const HavocDamage *base, PetscReal t_target, PetscReal D_target, PetscReal *scale);
