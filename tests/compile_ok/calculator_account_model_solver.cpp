// Twin of compile_fail/calculator_account_model_solver.cpp: with model_liquidation, the solver
// that reads the account-level model, the SPAN host compiles.
#include <margincall/calculator.hpp>
#include <margincall/calculator/book_margin_adapters.hpp>
#include <margincall/stress/span_margin.hpp>

struct host : margincall::default_policies<double> {
    using margin_model = margincall::book_margin_account<double, margincall::span_margin<double>>;
    using liquidation_solver = margincall::model_liquidation<double>;
};

int main() {
    using calculator = margincall::margin_call_calculator<host>;
    return static_cast<int>(sizeof(calculator::settings) == 0);
}
