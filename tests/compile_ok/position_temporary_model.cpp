// The compiling twin of compile_fail/position_temporary_model.cpp: the same position built
// from a named tier_schedule, which outlives it.
#include <margincall/margin/position.hpp>
#include <margincall/tiers/tier_schedule.hpp>

using schedule = margincall::tier_schedule<double>;
using linear = margincall::linear_contract<double>;

int main() {
    const schedule bybit({{0, 2000000, 100, 0.005}});
    const margincall::position<linear, schedule> p(bybit, {.leverage = 50, .quantity = 1.0, .entry_price = 20000.0});
    return static_cast<int>(p.maintenance_margin(20000.0) > 0);
}
