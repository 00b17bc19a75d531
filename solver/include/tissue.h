/* Tissue: the face map, its perfusion, oxygen and damage over hours (docs/model.md, "Tissue").

   The skin territories of the network file (those with an outline in the frontal plane) are drawn onto a
   map of square cells over the face frame (a distributed PETSc DMDA, -tissue_dx); a cell belongs to the
   first territory whose outline holds its centre, or to no tissue. The other territories (retina,
   choroid, brain, orbit, deep tissues, skin without an outline) are single compartments. A territory is
   perfused by the terminal vessels that name it: its perfusion ratio is their flow over their healthy
   flow. The map's oxygen is solved for the healthy and the current perfusion (oxygen.h); a cell's
   vulnerability is its relative oxygen deficit 1 - P / P_healthy, a compartment's its perfusion deficit
   1 - ratio; the three-state damage model (damage.h), with a rate scale per tissue calibrated to its
   critical ischemia time, advances every cell and compartment to the end time. */
#pragma once

#include "checkpoint.h"
#include "damage.h"
#include "mesh.h"
#include "oxygen.h"

typedef enum {
  TISSUE_ZONE_NONE = -1, /* not tissue */
  TISSUE_ZONE_NORMAL,
  TISSUE_ZONE_ISCHEMIC, /* perfusion ratio below -tissue_ischemic_ratio */
  TISSUE_ZONE_AT_RISK,  /* toxic state above the damage threshold T_d */
  TISSUE_ZONE_NECROTIC  /* dead fraction above -tissue_necrotic_fraction */
} TissueZone;
PETSC_EXTERN const char *const TissueZones[];

/* What happened to one territory: areas [m^2] (map territories) of each zone at the report times, the
   time of its first necrotic cell (or compartment), and for a compartment its state. */
typedef struct {
  PetscReal  area;                          /* map area [m^2]; 0 for a compartment */
  PetscBool  compartment;                   /* not on the map */
  PetscReal  ratio;                         /* perfusion ratio */
  PetscReal *ischemic, *at_risk, *necrotic; /* [nreport] areas [m^2] (compartments: 0 or 1) */
  PetscReal  first_necrosis;                /* [s], or -1 */
  PetscReal  half_necrosis;                 /* [s] when half its area (a compartment: itself) is necrotic, or -1 */

} TissueTerritoryReport;

typedef struct _p_Tissue *Tissue;

PETSC_EXTERN PetscErrorCode TissueCreate(MPI_Comm comm, HavocMesh mesh, Tissue *t);
/* Options -tissue_*; *active is set when the tissue is asked for (-tissue_t_end > 0). */
PETSC_EXTERN PetscErrorCode TissueSetFromOptions(Tissue t, PetscBool *active);
/* Builds the map and the compartments; q_healthy [mesh->nvessels] the healthy (steady) flows. */
PETSC_EXTERN PetscErrorCode TissueSetUp(Tissue t, const PetscReal q_healthy[]);
/* Perfusion from the flows q [mesh->nvessels], oxygen, and damage from time 0 to the end time:
   TissueBegin(q), then TissueEnd. */
PETSC_EXTERN PetscErrorCode TissueRun(Tissue t, const PetscReal q[]);
/* The damage clock in pieces, for flows that change (reperfusion, vasodilation): TissueBegin starts it at
   time 0 (the occlusion) with the flows q; TissueSetFlows gives new flows from the present time on (the
   toxic load and dead tissue carry over); TissueAdvance runs it to t_to [s] (reports on the way);
   TissueEnd runs it to the end time and closes the reports. */
PETSC_EXTERN PetscErrorCode TissueBegin(Tissue t, const PetscReal q[]);
PETSC_EXTERN PetscErrorCode TissueSetFlows(Tissue t, const PetscReal q[]);
PETSC_EXTERN PetscErrorCode TissueAdvance(Tissue t, PetscReal t_to);
PETSC_EXTERN PetscErrorCode TissueEnd(Tissue t);
/* Checkpoints of the damage clock (checkpoint.h). When the tissue runs alone, pause (collective) is called
   every 16 steps part-way through a solve (not at its last step); it may write a checkpoint with
   TissueCheckpoint (write true), or stop the run by returning an error (a signal). Reading (write false)
   restores a written state after TissueBegin with the same flows; TissueEnd then continues the clock from it, step for step as
   the run that wrote it. (With a treatment, the treatment pauses between its steps instead.) */
PETSC_EXTERN PetscErrorCode TissueSetPause(Tissue t, PetscErrorCode (*pause)(void *), void *ctx);
PETSC_EXTERN PetscErrorCode TissueCheckpoint(Tissue t, HavocCheckpoint ck, PetscBool write);
/* The damage clock now [s] (part-way through a solve: the time of its last step) and its steps so far. */
PETSC_EXTERN PetscErrorCode TissueGetTime(Tissue t, PetscReal *now, PetscInt *steps);
PETSC_EXTERN PetscErrorCode TissueGetEndTime(Tissue t, PetscReal *t_end);
/* The ratio below which tissue is ischemic, the perfusion ratio of every map cell now and the terminal
   vessel (mesh index, -1: no tissue) that feeds it (global vectors of the map's DMDA; any may be NULL). */
PETSC_EXTERN PetscErrorCode TissueGetPerfusion(Tissue t, PetscReal *ischemic_ratio, Vec *ratio, Vec *terminal);
/* The report times [s] and one report per territory (mesh order). */
PETSC_EXTERN PetscErrorCode TissueGetReports(Tissue t, PetscInt *nreport, const PetscReal **times, const TissueTerritoryReport **reports);
/* After TissueRun, the state of territory r as a whole, for a compartment such as the retina: "infarcted"
   (it has necrotic tissue), "ischemic" (perfusion ratio below -tissue_ischemic_ratio, or toxic above its
   threshold at the end) or "perfused". */
PETSC_EXTERN const char *TissueCompartmentState(Tissue t, PetscInt r);
/* Map size, cell size [m], origin (x, y of the corner) [m]. */
PETSC_EXTERN PetscErrorCode TissueGetMap(Tissue t, DM *da, PetscReal *dx, PetscReal origin[2]);
/* The maps at the report times: nmaps stacks, each [nreport][local cells of the DMDA, its own ordering]:
   territory index, perfusion ratio, PO2 [Pa], toxic state, dead fraction, zone, capillary refill [s]. */
PETSC_EXTERN PetscErrorCode TissueGetMaps(Tissue t, PetscInt *nmaps, const char *const **names, const char *const **units, const PetscReal *const **data);
PETSC_EXTERN PetscErrorCode TissueDestroy(Tissue *t);
