/* havoc: common definitions shared by every object of the engine. */
#pragma once

#include <petscsys.h>

#ifndef HAVOC_VERSION
#  define HAVOC_VERSION "0.0.0"
#endif
#ifndef HAVOC_GITREV
#  define HAVOC_GITREV "unknown"
#endif

/* The largest number of vessels that may meet at one node. Vertex components are plain data migrated
   as raw bytes by DMNetworkDistribute, so their per-slot arrays have a fixed size. */
#define HAVOC_MAX_DEGREE 8

/* Fixed-size strings inside plain-data components and mesh records. */
#define HAVOC_NAME_LEN 64

/* Exit codes of the havoc front end. */
#define HAVOC_EXIT_OK          0
#define HAVOC_EXIT_ERROR       1 /* bad input or a numerical fault: one message on stderr */
#define HAVOC_EXIT_USAGE       2 /* the command line itself is wrong */
#define HAVOC_EXIT_INTERRUPTED 3 /* stopped by SIGTERM or SIGINT after writing a checkpoint (checkpoint.h) */

/* Raise a user-input error: the message must name the file and line or the option, and say what is
   expected. */
#define HavocCheckUser(cond, comm, ...) PetscCheck(cond, comm, PETSC_ERR_USER_INPUT, __VA_ARGS__)

/* Installs havoc's error handler: user-input and file errors print one line "havoc: error: ..." (once
   per communicator), other errors keep PETSc's traceback. Call after PetscInitialize. */
/* Appends name to the comma-separated list in buf (for the "expected one of: ..." of messages). */
PETSC_EXTERN PetscErrorCode HavocListAppend(char buf[], size_t len, const char name[]);
PETSC_EXTERN PetscErrorCode HavocErrorHandlerPush(void);
/* The message of the last error the handler saw ("" if none since HavocClearError): a sweep records it. */
PETSC_EXTERN const char    *HavocLastError(void);
PETSC_EXTERN void           HavocClearError(void);
PETSC_EXTERN PetscErrorCode HavocErrorHandlerPop(void);

/* Registers every pluggable model (outlets, inlet waveforms, fluxes, limiters). Idempotent. */
PETSC_EXTERN PetscErrorCode HavocRegisterAll(void);
PETSC_EXTERN PetscErrorCode HavocFinalizePackage(void);

/* Writes a file atomically: the content goes to a temporary name in the same directory and is renamed
   when complete, so a failed run leaves no half-written result behind. The temporary name is chosen on
   rank 0 and is the same on every rank. */
PETSC_EXTERN PetscErrorCode HavocTempPath(MPI_Comm comm, const char path[], char tmp[], size_t len);
PETSC_EXTERN PetscErrorCode HavocCommitPath(MPI_Comm comm, const char tmp[], const char path[]);
/* A data file shipped with havoc (rel, e.g. "meshes/face/variants.yaml"): rel itself if it can be read
   from the working directory, else the copy beside the executable (the source tree or an installation
   under PREFIX/share/havoc); rel unchanged if there is none, for the caller's message. */
PETSC_EXTERN PetscErrorCode HavocDataFile(const char rel[], char path[], size_t len);
/* Appends t to the string s of size n, truncating to fit (strlcat's contract). PETSc 3.18's PetscStrlcat
   bounds the copy by the length of t, not by the room left in s, and writes past a full buffer. */
PETSC_EXTERN PetscErrorCode HavocStrlcat(char s[], const char t[], size_t n);
/* Rank 0 writes text to path atomically (HavocTempPath, HavocCommitPath); what names the kind of file in
   the message of a failure. Collective; text matters on rank 0 only. */
PETSC_EXTERN PetscErrorCode HavocWriteTextFile(MPI_Comm comm, const char path[], const char what[], const char text[]);

/* Reads a whole file on rank 0 and gives its bytes, NUL-terminated, to every rank (free with PetscFree).
   Collective; what names the kind of file in messages ("cannot open network file '...'"). */
PETSC_EXTERN PetscErrorCode HavocReadFile(MPI_Comm comm, const char path[], const char what[], char **bytes, size_t *len);

/* FNV-1a, 64 bits: h = HavocHash(HAVOC_HASH_INIT, text), chained over several strings. */
#define HAVOC_HASH_INIT 14695981039346656037ULL
PETSC_EXTERN unsigned long long HavocHash(unsigned long long h, const char s[]);
