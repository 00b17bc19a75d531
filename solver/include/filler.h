/* Filler products: the HA gels a bolus can be made of (docs/model.md, "The HA bolus").

   Each product carries its HA concentration, its storage modulus G', the yield stress and apparent
   viscosity of the gel as a plug in a vessel, the size of the fragments it breaks into, and its Darcy
   permeability. Concentrations and G' are the representative values of ../reference (mostly [M]); the
   yield stress is G' times a yield strain of 0.2 (within the 0.1-1 crossover strains of HA fillers);
   the permeability of a cohesive gel is the Jackson-James fibre estimate from its polymer volume
   fraction, that of a particulate gel the Kozeny-Carman range of its inter-particle channels. */
#pragma once

#include "havoc.h"

typedef struct {
  const char *name;
  const char *label;     /* trade name, for reports */
  PetscReal   c_ha;      /* HA concentration [kg m^-3] */
  PetscReal   G;         /* storage modulus G' [Pa] */
  PetscReal   tau_y;     /* yield stress [Pa] */
  PetscReal   mu_gel;    /* apparent viscosity of the moving plug [Pa s] */
  PetscReal   fragment;  /* fragment size [m] */
  PetscReal   k;         /* Darcy permeability [m^2] */
  PetscBool   particles; /* particulate (biphasic) gel */
} HavocFiller;

/* Looks a product up by name; *found = PETSC_FALSE when it is not in the table. */
PETSC_EXTERN PetscErrorCode HavocFillerFind(const char name[], HavocFiller *filler, PetscBool *found);
/* The product names, comma-separated, for messages and help. */
PETSC_EXTERN PetscErrorCode HavocFillerList(char buf[], size_t len);
/* Jackson-James permeability [m^2] of a fibre network of HA at concentration c_ha [kg m^-3]: fibres of
   radius 0.5 nm at volume fraction phi = c_ha * 0.57e-3 m^3/kg, k = 3 a^2 / (20 phi) (-ln phi - 0.931). */
PETSC_EXTERN PetscReal HavocFillerPermeability(PetscReal c_ha);
