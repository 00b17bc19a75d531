/* Hyaluronidase in the tissue (docs/model.md, "Hyaluronidase"; issue 6, in progress): the active enzyme
   on a map of cells (a PETSc DMDA over the face frame's frontal plane), in a tissue layer of thickness H:

     dc/dt = D_E lap(c) - lambda c + doses

   c the active enzyme [U m^-3], D_E its diffusivity in dermis (about 2e-11 m^2/s), lambda = ln 2 / its
   tissue half-life (10-30 min). A dose of U units in a volume V is a bleb: a Gaussian in the plane whose
   area 2 pi sigma^2 is V / H (the injected volume spread over the layer), its cells' shares taken from
   the exact integral of the Gaussian over each cell and normalised, so that the map gets U units to
   round-off. The map's edges carry no flux. Decay is applied exactly (c *= exp(-lambda h)) and diffusion
   by a TS (explicit Runge-Kutta, conservative), one after the other in each step; the units decayed are
   counted, so that injected = on the map + decayed. */
#pragma once

#include <petscdmda.h>
#include <petscts.h>

#include "checkpoint.h"
#include "havoc.h"

typedef struct _p_EnzymeTissue *EnzymeTissue;

/* The enzyme on da (2D, one dof, stencil width >= 1) of square cells dx [m] whose corner (cell (0, 0)'s
   lower left) is at origin [m], in a layer of thickness H [m]. */
PETSC_EXTERN PetscErrorCode EnzymeTissueCreate(DM da, PetscReal dx, const PetscReal origin[2], PetscReal H, EnzymeTissue *et);
/* Diffusivity [m^2 s^-1] and half-life [s] (0: stable). */
PETSC_EXTERN PetscErrorCode EnzymeTissueSetParameters(EnzymeTissue et, PetscReal D, PetscReal half_life);
/* A bleb of U units in volume V [m^3] centred at (x, y) [m]. */
PETSC_EXTERN PetscErrorCode EnzymeTissueAddBleb(EnzymeTissue et, PetscReal x, PetscReal y, PetscReal U, PetscReal V);
/* U units spread over the map in proportion to the weights w (a global vector of da, >= 0): a dose that
   floods an area. *placed is false (nothing added) when every weight is 0. */
PETSC_EXTERN PetscErrorCode EnzymeTissueAddWeighted(EnzymeTissue et, Vec w, PetscReal U, PetscBool *placed);
/* Takes units [U per cell] out of the map (negative: gives them back), e.g. the flux through the walls
   of vessels into lodged gel; counted as taken. */
PETSC_EXTERN PetscErrorCode EnzymeTissueTake(EnzymeTissue et, Vec units);
PETSC_EXTERN PetscErrorCode EnzymeTissueGetLayer(EnzymeTissue et, PetscReal *H);
/* Advances the map by h [s]. */
PETSC_EXTERN PetscErrorCode EnzymeTissueAdvance(EnzymeTissue et, PetscReal h);
/* The concentration field (a global vector of da, [U m^-3]) and the unit balance. */
PETSC_EXTERN PetscErrorCode EnzymeTissueGetField(EnzymeTissue et, Vec *c);
/* injected = on the map + decayed + taken (taken may be NULL). */
PETSC_EXTERN PetscErrorCode EnzymeTissueGetBalance(EnzymeTissue et, PetscReal *injected, PetscReal *on_map, PetscReal *decayed, PetscReal *taken);
/* The field, its balance and its clock into a checkpoint (write true) or back from it (checkpoint.h). */
PETSC_EXTERN PetscErrorCode EnzymeTissueCheckpoint(EnzymeTissue et, HavocCheckpoint ck, PetscBool write);
PETSC_EXTERN PetscErrorCode EnzymeTissueDestroy(EnzymeTissue *et);
