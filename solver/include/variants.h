/* HavocVariants: anatomical variants of a network and the virtual patients drawn from them
   (docs/formats.md, "Variant files").

   A variant file names a base network and groups of mutually exclusive options, each with its
   prevalence; an option edits the base network (removes, adds or changes vessels, adds nodes, gives an
   outlet to a vessel left as a terminal). Applying options edits the base file's YAML and reads the
   result with the network reader, so what comes out passes every check of a network file. Every rank
   reads and holds the same variants. */
#pragma once

#include "mesh.h"
#include "rng.h"

#define HAVOC_VARIANTS_FORMAT         "havoc-variants"
#define HAVOC_VARIANTS_FORMAT_VERSION 1

typedef struct {
  char      name[HAVOC_NAME_LEN];
  PetscReal prevalence; /* fraction of the population */
  PetscInt  node;       /* the option's entry in the parsed file */
  PetscInt  line;
} HavocVariantOption;

typedef struct {
  char      name[HAVOC_NAME_LEN];
  char      source[256];
  PetscInt  noptions, first; /* its options are options[first .. first + noptions) */
  PetscReal total;           /* sum of the prevalences: 1 up to the rounding of the published values */
  PetscInt  line;
} HavocVariantGroup;

typedef struct _p_HavocVariants *HavocVariants;
struct _p_HavocVariants {
  MPI_Comm                     comm;
  char                         path[PETSC_MAX_PATH_LEN];    /* the variant file (or a label) */
  char                         network[PETSC_MAX_PATH_LEN]; /* the base network file, resolved */
  PetscInt                     ngroups, noptions;
  HavocVariantGroup           *groups;
  HavocVariantOption          *options;
  HavocMesh                    base; /* the base network as read */
  struct _n_HavocVariantsText *text; /* the parsed variant file and the base network's text */
};

/* Reads a variant file and its base network (relative to the variant file) and checks every option:
   names, prevalences, operations, and that each option applied alone gives a valid network. */
PETSC_EXTERN PetscErrorCode HavocVariantsRead(MPI_Comm comm, const char path[], HavocVariants *variants);
/* The same from text, as if it were the file `label` (its network is still read from disk). */
PETSC_EXTERN PetscErrorCode HavocVariantsReadString(MPI_Comm comm, const char label[], const char text[], HavocVariants *variants);
PETSC_EXTERN PetscErrorCode HavocVariantsDestroy(HavocVariants *variants);
PETSC_EXTERN PetscErrorCode HavocVariantsFindGroup(HavocVariants variants, const char name[], PetscInt *group);

/* The base network with option choice[g] of every group g applied (choice[g] < 0: none of the group,
   choice NULL: the base network itself). Options of different groups change different vessels, so the
   order does not matter; a combination that does not give a valid network is an error. */
PETSC_EXTERN PetscErrorCode HavocVariantsApply(HavocVariants variants, const PetscInt choice[], HavocMesh *mesh);
/* Draws one option per group, in file order, with probability proportional to its prevalence. */
PETSC_EXTERN PetscErrorCode HavocVariantsDraw(HavocVariants variants, HavocRng *rng, PetscInt choice[]);
/* Draws the radius and length of every vessel that has a published range, uniformly within it and in
   network order: the distal radius and a wall thickness given as h keep their ratio to the proximal
   radius. Outlets and node positions are left as they are. */
PETSC_EXTERN PetscErrorCode HavocMeshDrawWithinRanges(HavocMesh mesh, HavocRng *rng, PetscInt *nradii, PetscInt *nlengths);
/* A virtual patient: the options drawn from seed (into choice[ngroups]), applied, then every range
   drawn; the same seed gives the same network on every machine. Collective. */
PETSC_EXTERN PetscErrorCode HavocVariantsSample(HavocVariants variants, unsigned long long seed, PetscInt choice[], HavocMesh *mesh);
