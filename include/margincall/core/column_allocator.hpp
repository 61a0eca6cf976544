#pragma once
/// \file
/// The allocator of the library's large columns (position books): large columns are aligned
/// to 2 MiB and, on Linux, marked for transparent huge pages.
///
/// Why: a batch re-mark streams five columns of 10^7 entries each. With 4 KiB pages every
/// stream takes a TLB miss every 512 doubles, and under virtualisation (two-dimensional page
/// walks) those misses made the same pass 2–10× slower from one process to the next on the
/// development VM, depending on where its pages happened to land (docs/performance.md). 2 MiB
/// pages cut the misses 512-fold. Linux's default THP mode ("madvise") gives huge pages only
/// to ranges marked with madvise(MADV_HUGEPAGE): Linux kernel documentation,
/// "Transparent Hugepage Support" (https://www.kernel.org/doc/html/latest/admin-guide/mm/transhuge.html).
/// The mark is a hint: where it is refused or unavailable the memory is ordinary memory.
/// Allocations below 2 MiB are plain operator new.
/// \test tests/core/column_allocator.cpp

#include <cstddef>
#include <limits>
#include <new>

#if defined(__linux__) && __has_include(<sys/mman.h>)
#include <sys/mman.h>
#define MARGINCALL_HAS_MADVISE 1
#else
#define MARGINCALL_HAS_MADVISE 0
#endif

namespace margincall {

/// A stateless std::allocator replacement for large columns (see the file comment).
template <class T>
struct column_allocator {
    using value_type = T;

    /// The huge-page size the large allocations are aligned and rounded to.
    static constexpr std::size_t huge_page_size = std::size_t{1} << 21;

    constexpr column_allocator() noexcept = default;
    template <class U>
    constexpr explicit(false) column_allocator(const column_allocator<U>&) noexcept {}

    /// Whether an allocation of `n` elements takes the huge-page path.
    [[nodiscard]] static constexpr bool is_large(std::size_t n) noexcept { return n * sizeof(T) >= huge_page_size; }

    [[nodiscard]] T* allocate(std::size_t n) {
        if (n > std::numeric_limits<std::size_t>::max() / sizeof(T) - huge_page_size) throw std::bad_array_new_length();
        if (!is_large(n)) {
            if constexpr (alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__)
                return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{alignof(T)}));
            else
                return static_cast<T*>(::operator new(n * sizeof(T)));
        }
        const std::size_t bytes = rounded(n);
        void* p = ::operator new(bytes, std::align_val_t{huge_page_size});
#if MARGINCALL_HAS_MADVISE && defined(MADV_HUGEPAGE)
        (void)::madvise(p, bytes, MADV_HUGEPAGE);  // a hint: on failure the pages stay 4 KiB
#endif
        return static_cast<T*>(p);
    }

    void deallocate(T* p, std::size_t n) noexcept {
        if (!is_large(n)) {
            if constexpr (alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__)
                ::operator delete(p, std::align_val_t{alignof(T)});
            else
                ::operator delete(p);
            return;
        }
        ::operator delete(p, std::align_val_t{huge_page_size});
    }

    template <class U>
    friend constexpr bool operator==(const column_allocator&, const column_allocator<U>&) noexcept {
        return true;
    }

private:
    [[nodiscard]] static constexpr std::size_t rounded(std::size_t n) noexcept {
        return (n * sizeof(T) + huge_page_size - 1) & ~(huge_page_size - 1);
    }
};

}  // namespace margincall
