/* Options with units, for use inside a PetscOptionsBegin/PetscOptionsEnd block.

   A quantity option takes a number with an optional unit ("-hemo_t_end 3.3s", "-network_dx '0.5 mm'");
   a bare number is in the option's SI unit, which the help text states. A value of the wrong kind or
   outside its admissible range is an error naming the option and what it expects. */
#pragma once

#include "havoc.h"

/* The lower bound that means "strictly positive" (the smallest positive normal double; PETSC_MIN_REAL
   is the most negative real, not this). */
#define HAVOC_POSITIVE 2.2250738585072014e-308

/* Admissible range [lo, hi]; lo = HAVOC_POSITIVE means "strictly positive". */
PETSC_EXTERN PetscErrorCode HavocOptionsQuantity_Private(PetscOptionItems *PetscOptionsObject, const char opt[], const char text[], const char unit[], PetscReal current, PetscReal *value, PetscBool *set, PetscReal lo, PetscReal hi);
PETSC_EXTERN PetscErrorCode HavocOptionsIntRange_Private(PetscOptionItems *PetscOptionsObject, const char opt[], const char text[], PetscInt current, PetscInt *value, PetscBool *set, PetscInt lo, PetscInt hi);

#define HavocOptionsQuantity(opt, text, unit, current, value, set, lo, hi) HavocOptionsQuantity_Private(PetscOptionsObject, opt, text, unit, current, value, set, lo, hi)
#define HavocOptionsIntRange(opt, text, current, value, set, lo, hi)       HavocOptionsIntRange_Private(PetscOptionsObject, opt, text, current, value, set, lo, hi)

/* Every option set (case file or command line) must have been used by someone: otherwise it is an error
   naming the option and, for case-file options, the file and line it came from. */
PETSC_EXTERN PetscErrorCode HavocOptionsCheckUnused(MPI_Comm comm);
/* Whether an option (its name without the dash) is PETSc's own: read when PETSc finalizes or only in some
   configurations (the partitioner only on more than one rank), so never reported as unused. */
PETSC_EXTERN PetscBool HavocOptionPetscOwned(const char name[]);
/* A point of dim (2 or 3) coordinates [m] from the text of option opt: 'X,Y[,Z]' with a unit after the last
   number for all, or one after each ('6,12,4 mm', '6 mm, 12 mm, 4 mm'). */
PETSC_EXTERN PetscErrorCode HavocParsePoint(MPI_Comm comm, const char opt[], const char text[], PetscInt dim, PetscReal x[]);
