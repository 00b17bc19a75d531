/* A seeded generator that gives the same numbers on every machine: SplitMix64 (Steele, Lea and Flood,
   OOPSLA 2014), a 64-bit state advanced by a constant and mixed by two multiply-xorshift rounds, in
   integer arithmetic only. Callers that turn its numbers into geometry must also avoid libm functions
   whose last bit differs between libraries, and compile without fused multiply-add (see the Makefile). */
#pragma once

#include "havoc.h"

#include <stdint.h>

typedef struct {
  uint64_t state;
} HavocRng;

static inline uint64_t HavocRngNext(HavocRng *rng)
{
  uint64_t z = (rng->state += 0x9e3779b97f4a7c15ULL);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* Uniform in [lo, hi): the top 53 bits make an exact double in [0, 1). */
static inline PetscReal HavocRngUniform(HavocRng *rng, PetscReal lo, PetscReal hi)
{
  return lo + (hi - lo) * ((PetscReal)(HavocRngNext(rng) >> 11) * 0x1.0p-53);
}

/* Uniform in 0..n-1 (the modulo bias, below n / 2^64, does not matter here). */
static inline PetscInt HavocRngIndex(HavocRng *rng, PetscInt n)
{
  return (PetscInt)(HavocRngNext(rng) % (uint64_t)n);
}
