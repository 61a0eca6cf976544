// Must not compile: an account-level margin model left with the default closed-form solver,
// which cannot see the model; the calculator names the slot, the concept and the missing member.
// expect: Policies::liquidation_solver is not a margincall::liquidation_solver for an account-level margin_model
#include <margincall/calculator.hpp>
#include <margincall/calculator/book_margin_adapters.hpp>
#include <margincall/stress/span_margin.hpp>

struct host : margincall::default_policies<double> {
    using margin_model = margincall::book_margin_account<double, margincall::span_margin<double>>;
    // liquidation_solver stays closed_form_liquidation
};

int main() {
    using calculator = margincall::margin_call_calculator<host>;
    return static_cast<int>(sizeof(calculator::settings) == 0);
}
