#pragma once
/// \file
/// MARGINCALL_ALWAYS_INLINE: the GNU always_inline attribute (g++, clang++), empty elsewhere.
/// The batch passes (margin/remark_*.hpp) vectorise only when every call in their loops is
/// inlined: a lambda the compiler keeps out of line hides that the block buffers are locals no
/// load of the book aliases ("no vectype for stmt"), and a rule such as classify_margin called
/// out of line makes the loop scalar. Whether g++ inlines on its own depends on the size of the
/// whole translation unit (its unit-growth limits), so a benchmark that includes more headers
/// can lose the vectorised loop without a change to the pass: the attribute makes it certain.
/// GNU attribute syntax, which g++ and clang++ accept on functions and on lambdas.

#if defined(__GNUC__)
#define MARGINCALL_ALWAYS_INLINE __attribute__((always_inline))
#else
#define MARGINCALL_ALWAYS_INLINE
#endif
