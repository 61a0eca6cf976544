#pragma once
/// \file
/// Margin of many portfolios at once: any `book_margin_model` (SPAN, the portfolio-margin grid,
/// risk-based margin ...) over a span of stress_books, the books on an executor (sequential by
/// default). Each figure is the model's own call on that book (one formula, one place), so the
/// results are bit-identical for any executor and worker count (issue #16). For the stress report
/// of many accounts under many scenarios, see run_stress_test (stress_test.hpp), which takes an
/// executor too.
/// \test tests/parallel/batches.cpp

#include <margincall/core/checks.hpp>
#include <margincall/core/real_scalar.hpp>
#include <margincall/parallel/executor.hpp>
#include <margincall/parallel/ordered_reduce.hpp>
#include <margincall/stress/layered_margin.hpp>
#include <margincall/stress/stress_book.hpp>

#include <cstddef>
#include <span>
#include <vector>

namespace margincall {

/// Initial and maintenance margin of one book under a book margin model.
template <real_scalar Real = double>
struct book_margin_figures {
    Real initial_margin{};
    Real maintenance_margin{};
};

/// The model's initial and maintenance margin of each book of `books`, in order, on `exec`
/// (chunks of 4 books, fixed by the count). An exception of the model on a book is rethrown on the
/// caller's thread (the executor's rule: the first one raised).
/// \throws margincall::invalid_argument for an empty span of books
template <real_scalar Real, class Model, executor Executor = sequential_executor>
    requires book_margin_model<Model, Real>
[[nodiscard]] std::vector<book_margin_figures<Real>> book_margins(std::span<const stress_book<Real>> books, const Model& model,
                                                                  const Executor& exec = Executor{}) {
    check_not_empty("book_margins", "books", books);
    std::vector<book_margin_figures<Real>> out(books.size());
    for_each_chunk(exec, fixed_chunks(books.size(), 4), [&](std::size_t, std::size_t begin, std::size_t end) {
        for (std::size_t b = begin; b < end; ++b)
            out[b] = {static_cast<Real>(model.initial_margin(books[b])), static_cast<Real>(model.maintenance_margin(books[b]))};
    });
    return out;
}

}  // namespace margincall
