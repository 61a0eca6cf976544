// The umbrella header in a first translation unit; second.cpp is the other (ODR check).
#include <margincall/margincall.hpp>

double second_unit_value();

int main() {
    const margincall::linear_contract<double> c{1.0};
    return (c.pnl(1.0, 100.0, 101.0) == 1.0 && second_unit_value() == 1.0) ? 0 : 1;
}
