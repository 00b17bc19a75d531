/* Pictures of a run with cairo (PNG or SVG, chosen by the file name's extension), drawn from its files
   only (post.h). Used by havoc render and havoc report. */
#pragma once

#include "post.h"

typedef struct {
  char      color[32];     /* what colours the vessels: flow_fraction (default), pressure or velocity */
  PetscReal time;          /* [s] the moment drawn (the nearest one recorded); < 0: the last */
  PetscInt  width, height; /* [px] (SVG: pt) */
  char      vessels[512];  /* comma-separated vessel names (flow plot); empty: a default choice */
  char      label[128];    /* an extra line under the title (e.g. "frame 2 of 10"); empty: none */
} HavocRenderOptions;

/* Defaults: flow_fraction, last time, 900 x 900. */
PETSC_EXTERN PetscErrorCode HavocRenderOptionsDefault(HavocRenderOptions *o);
/* The arterial tree in the face frame over the face's outline, vessels coloured by o->color at o->time,
   slugs of gel marked, colour bar with label and unit, legend, title with the case and time. */
PETSC_EXTERN PetscErrorCode HavocRenderTree(const HavocPost *p, const HavocRenderOptions *o, const char path[]);
/* The tissue zone map (normal, ischemic, at risk, necrotic) at o->time, with legend and title. */
PETSC_EXTERN PetscErrorCode HavocRenderZones(const HavocPost *p, const HavocRenderOptions *o, const char path[]);
/* A time-series plot; what: "flow" (flow at o->vessels), "areas" (ischemic and necrotic area per
   territory), "ha" (HA remaining), "enzyme" (enzyme at the gel). Axes with labels and units, legend. */
PETSC_EXTERN PetscErrorCode HavocRenderPlot(const HavocPost *p, const char what[], const HavocRenderOptions *o, const char path[]);
/* The times at which zone maps and trees can be drawn (tissue report times, or the field snapshots when
   the run has no tissue); *times allocated with PetscMalloc1. */
PETSC_EXTERN PetscErrorCode HavocRenderTimes(const HavocPost *p, PetscInt *n, PetscReal **times);

/* Additions (havoc render, its test). */
/* How face-frame coordinates (x, y) [m] map to the pixels of HavocRenderTree and HavocRenderZones at
   o->width x o->height: px = x0 + scale x, py = y0 - scale y. */
typedef struct {
  PetscReal x0, y0, scale;
} HavocRenderFrame;
PETSC_EXTERN PetscErrorCode HavocRenderFaceFrame(const HavocPost *p, const HavocRenderOptions *o, HavocRenderFrame *f);
/* The colour of a tissue zone on the zone map (-1 no tissue, 0 normal, 1 ischemic, 2 at risk, 3 necrotic),
   components in [0, 1]. */
PETSC_EXTERN void HavocRenderZoneColor(PetscInt zone, PetscReal rgb[3]);
/* Checks that the file name ends in .png or .svg; *svg tells which. */
PETSC_EXTERN PetscErrorCode HavocRenderFormat(const char path[], PetscBool *svg);
