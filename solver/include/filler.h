/* Filler products: the HA gels a bolus can be made of (docs/model.md, "The HA bolus"; the table with its
   sources: docs/products.md).

   Each product carries its crosslinking technology, its HA concentration, its storage modulus G', the
   yield stress and apparent viscosity of the gel as a plug in a vessel, the size of the fragments it
   breaks into, its Darcy permeability and its susceptibility to hyaluronidase. Concentrations and G' are
   the representative values of ../reference (mostly [M]); the yield stress is G' times a yield strain of
   0.2 (within the 0.1-1 crossover strains of HA fillers); the permeability of a cohesive gel is the
   Jackson-James fibre estimate from its polymer volume fraction, that of a particulate gel the
   Kozeny-Carman range of its inter-particle channels. The susceptibility s multiplies the zero-order
   digestion rate dM/dt = -beta s E of enzyme.h; it follows the technology (particulate NASHA gels most
   susceptible, resistant the high-G' Vycross, high-concentration CPM and RHA 4 gels, the uncrosslinked
   Profhilo most of all), with values fitted to dissolution data other than Park et al. 2023
   (docs/products.md, "Susceptibility"). */
#pragma once

#include "havoc.h"
#include "provenance.h"

/* Where each tabulated value of a product comes from (provenance.h). */
typedef struct {
  HavocProvenance c_ha, G, tau_y, fragment, susceptibility;
} HavocFillerProvenance;

typedef struct {
  const char           *name;
  const char           *label;          /* trade name, for reports */
  const char           *technology;     /* crosslinking technology: "Vycross", "Hylacross", "NASHA", "OBT/XpresHAn", "CPM", "RHA", "NAHYCO" */
  PetscReal             c_ha;           /* HA concentration [kg m^-3] */
  PetscReal             G;              /* storage modulus G' [Pa] */
  PetscReal             tau_y;          /* yield stress [Pa] */
  PetscReal             mu_gel;         /* apparent viscosity of the moving plug [Pa s] */
  PetscReal             fragment;       /* fragment size [m] */
  PetscReal             k;              /* Darcy permeability [m^2] */
  PetscBool             particles;      /* particulate (biphasic) gel */
  PetscReal             susceptibility; /* to hyaluronidase, relative to the reference gel [dimensionless]: multiplies the digestion rate */
  HavocFillerProvenance prov;           /* source and confidence of c_ha, G, tau_y, fragment and susceptibility */
} HavocFiller;

/* Looks a product up by name; *found = PETSC_FALSE when it is not in the table. */
PETSC_EXTERN PetscErrorCode HavocFillerFind(const char name[], HavocFiller *filler, PetscBool *found);
/* The product names, comma-separated, for messages and help. */
PETSC_EXTERN PetscErrorCode HavocFillerList(char buf[], size_t len);
/* Jackson-James permeability [m^2] of a fibre network of HA at concentration c_ha [kg m^-3]: fibres of
   radius 0.5 nm at volume fraction phi = c_ha * 0.57e-3 m^3/kg, k = 3 a^2 / (20 phi) (-ln phi - 0.931). */
PETSC_EXTERN PetscReal HavocFillerPermeability(PetscReal c_ha);
