/* Posture: the direction of gravity in the face frame, for the hydrostatic head of the blood.

   The face frame (docs/face.md) has x towards the patient's left, y up the face (cranial, along the body
   axis) and z out of the face (anterior). The posture is the elevation of the body axis above the
   horizontal, as a bed or treatment chair is set: 0 supine (lying face up), 30 deg semi-reclined, 90 deg
   upright (seated or standing), negative head down (Trendelenburg). Gravity then points along
   -(0, sin elevation, cos elevation). docs/model.md "Gravity and posture". */
#pragma once

#include "havoc.h"

typedef struct {
  PetscReal g;         /* gravitational acceleration [m/s^2]; 0 switches gravity off */
  PetscReal elevation; /* of the body axis above the horizontal [rad] */
} HavocPosture;

/* Supine, standard gravity. */
PETSC_EXTERN void HavocPostureDefault(HavocPosture *posture);
/* Reads -patient_posture (supine, reclined, upright, head-down or an elevation with its unit, "30 deg")
   and -patient_gravity [m/s^2]. */
PETSC_EXTERN PetscErrorCode HavocPostureSetFromOptions(MPI_Comm comm, HavocPosture *posture);
/* Parses a posture (a name or an elevation with its unit) into *elevation [rad]; returns 0 or non-zero
   with a message in err. */
PETSC_EXTERN int HavocPostureParse(const char *text, PetscReal *elevation, char *err, size_t errlen);
/* The acceleration vector in the face frame [m/s^2]. */
PETSC_EXTERN void HavocPostureGravity(const HavocPosture *posture, PetscReal g[3]);
