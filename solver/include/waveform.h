/* HavocWaveform: a prescribed function of time, q(t) or p(t) at an inlet.

   Types are registered by name (-inlet_type): table (a periodic table read from a file, linear or
   periodic-spline interpolation), constant (with an optional smooth start), pulse (a Gaussian pulse on
   a base value) and sine. Each type reads its own options inside the caller's options block. */
#pragma once

#include "havoc.h"

typedef struct _p_HavocWaveform *HavocWaveform;

struct _p_HavocWaveform {
  MPI_Comm  comm;
  char      type[32];
  char      unit[16]; /* SI unit of the values: "m^3/s" or "Pa" */
  PetscReal period;   /* 0 when the waveform is not periodic */
  PetscReal mean;     /* time average over a period (or the long-time value) */
  PetscReal (*eval)(HavocWaveform, PetscReal t);
  PetscErrorCode (*destroy)(HavocWaveform);
  void *data;
};

/* Reads the options of a type within an open options block and sets eval, period, mean and data. */
typedef PetscErrorCode (*HavocWaveformCreateFn)(HavocWaveform, PetscOptionItems *);

PETSC_EXTERN PetscErrorCode HavocWaveformRegister(const char name[], HavocWaveformCreateFn create);
PETSC_EXTERN PetscErrorCode HavocWaveformRegisterAll(void);
PETSC_EXTERN PetscErrorCode HavocWaveformFinalize(void);

PETSC_EXTERN PetscErrorCode HavocWaveformCreate(MPI_Comm comm, const char unit[], HavocWaveform *w);
/* Within an options block: -<prefix>type and the options of the chosen type. */
PETSC_EXTERN PetscErrorCode HavocWaveformSetFromOptions_Private(PetscOptionItems *PetscOptionsObject, HavocWaveform w, const char default_type[]);
#define HavocWaveformSetFromOptions(w, default_type) HavocWaveformSetFromOptions_Private(PetscOptionsObject, w, default_type)
PETSC_EXTERN PetscErrorCode HavocWaveformDestroy(HavocWaveform *w);

static inline PetscReal HavocWaveformEval(HavocWaveform w, PetscReal t)
{
  return w->eval(w, t);
}

/* The types, one file each. */
PETSC_EXTERN PetscErrorCode HavocWaveformCreate_Table(HavocWaveform, PetscOptionItems *);
PETSC_EXTERN PetscErrorCode HavocWaveformCreate_Constant(HavocWaveform, PetscOptionItems *);
PETSC_EXTERN PetscErrorCode HavocWaveformCreate_Pulse(HavocWaveform, PetscOptionItems *);
PETSC_EXTERN PetscErrorCode HavocWaveformCreate_Sine(HavocWaveform, PetscOptionItems *);

/* Reads a whitespace-separated table of ncol numbers per row ('#' comments) on rank 0 and broadcasts it;
   errors name the file and line. */
PETSC_EXTERN PetscErrorCode HavocTableRead(MPI_Comm comm, const char path[], PetscInt ncol, PetscInt *nrow, PetscReal **data);
