/* Treatment: hyaluronidase against lodged gel, over the hours after the occlusion (docs/model.md,
   "Hyaluronidase"; the enzyme itself: enzyme.h, enzyme_tissue.h).

   Clock. Time 0 is the occlusion (the end of the bolus's acute phase), the tissue's clock; the doses'
   times (-enzyme_start, -enzyme_interval) count from it.

   Doses. Every dose of the schedule goes to one site: a point of the face (-enzyme_point, a bleb in the
   tissue plane -enzyme_plane), the blanched area (the default: the dose floods the map cells whose
   perfusion ratio is below the ischemic ratio, as the high-dose protocols infiltrate), or a vessel
   (-enzyme_vessel: intra-arterial through a catheter: carried with the chronic network's flow, split at
   junctions in proportion to it, decaying with the blood half-life, into the first gel on its path; in
   a vessel with no flow it reaches only gel in that vessel).

   Into the gel. Enzyme in the tissue reaches gel in a vessel through the vessel wall, a membrane of
   permeability P = K D_w / h (partition K, diffusivity in the wall D_w, wall thickness h): the units E
   inside a slug of volume V and wall area A = 2 V / r follow

     dE/dt = P A (c - E / V) - lambda_g E,

   with c the tissue concentration along the slug (sampled on the map at the slug's projection, averaged
   over the step) and lambda_g the enzyme's decay in the gel. Gel in a capillary bed is a slug of the
   fragment's radius with the same wall ratio, exposed to the mean concentration of the bed's cells.
   The HA of the gel falls at beta s E (enzyme.h); the gel's permeability rises as x^-1.5 and its yield
   stress falls as x^2 with its HA fraction x; at x_c it is dissolved and washes out (bolus.h).

   Reperfusion. The chronic network is solved again when gel dissolves, moves, or has changed its
   resistance by 10 %; slugs whose pressure drop exceeds their hold pressure migrate (BolusMobilize); the
   tissue gets the new flows (TissueSetFlows). The pulsed preset stops dosing when every territory that
   was ischemic at the first dose has its perfusion ratio back above the ischemic ratio.

   Vasodilation (warm compress, sildenafil): -vasodilation_start for -vasodilation_duration multiplies the
   peripheral resistance of the terminals of the listed territories by -vasodilation_factor. */
#pragma once

#include "bolus.h"
#include "enzyme.h"
#include "io.h"
#include "steady.h"
#include "tissue.h"

#include <jansson.h>

typedef struct _p_Treatment *Treatment;

PETSC_EXTERN PetscErrorCode TreatmentCreate(MPI_Comm comm, HavocMesh mesh, Treatment *tr);
/* Options -enzyme_* and -vasodilation_*; *active when the case treats (sets -enzyme_units,
   -enzyme_preset or -enzyme_start, or -vasodilation_start). */
PETSC_EXTERN PetscErrorCode TreatmentSetFromOptions(Treatment tr, PetscBool *active);
/* The tissue (set up), the bolus and the steady network (solved for the chronic state) from time 0 to
   the tissue's end time; base_q the healthy flows (mesh order). Runs the tissue (TissueBegin ... End). */
PETSC_EXTERN PetscErrorCode TreatmentRun(Treatment tr, Bolus b, Steady s, Tissue t, const PetscReal base_q[]);
/* TreatmentRun in two: Begin (the gel at the start, TissueBegin, the first record) and End (the coupling
   loop to the end time, TissueEnd). Between them a checkpoint may be read back (TreatmentCheckpoint,
   with the bolus's, the steady solver's and the tissue's), and End continues from it step for step. */
PETSC_EXTERN PetscErrorCode TreatmentBegin(Treatment tr, Bolus b, Steady s, Tissue t, const PetscReal base_q[]);
PETSC_EXTERN PetscErrorCode TreatmentEnd(Treatment tr, Bolus b, Steady s, Tissue t);
/* Checkpoints (checkpoint.h): pause (collective) is called at the start of every step of the loop, where
   the whole state is in the objects; it may write one (TreatmentCheckpoint, the enzyme on the map
   included; the bolus, the steady solver and the tissue write their own), or stop the run by returning an
   error (a signal). */
PETSC_EXTERN PetscErrorCode TreatmentSetPause(Treatment tr, PetscErrorCode (*pause)(void *), void *ctx);
/* The treatment's state into a checkpoint (write true) or back from it (write false). */
PETSC_EXTERN PetscErrorCode TreatmentCheckpoint(Treatment tr, HavocCheckpoint ck, PetscBool write);
/* The loop's clock [s] (time after the occlusion). */
PETSC_EXTERN PetscErrorCode TreatmentGetTime(Treatment tr, PetscReal *now);
/* Writes the run's record to the group /treatment of result.h5: t, ha_fraction (HA left of the gel at the
   start), enzyme_gel and enzyme_map [U] at every step; flow_t and flow [solve][vessel] at every solve of
   the network. Collective; the record is the same on every rank. */
PETSC_EXTERN PetscErrorCode TreatmentWrite(Treatment tr, HavocResult r);
/* The `treatment` object of summary.json (rank 0). */
PETSC_EXTERN PetscErrorCode TreatmentSummary(Treatment tr, json_t *root);
/* Units given, HA left (fraction of the gel's HA at the start of the treatment) at the end. */
PETSC_EXTERN PetscErrorCode TreatmentGetTotals(Treatment tr, PetscReal *units, PetscReal *ha_left, PetscInt *recanalized, PetscInt *nslugs);
PETSC_EXTERN PetscErrorCode TreatmentDestroy(Treatment *tr);
/* The units E in a piece of gel of volume V over h [s] with the tissue concentration c [U m^-3] constant:
   the exact solution of dE/dt = rate (V c - E) - lambda E (rate = P A / V [s^-1]); integral = the integral
   of E over the step [U s] (the digestion is beta s times it), taken = units that crossed the wall. */
PETSC_EXTERN void TreatmentMembraneStep(PetscReal *E, PetscReal V, PetscReal rate, PetscReal lambda, PetscReal c, PetscReal h, PetscReal *integral, PetscReal *taken);
