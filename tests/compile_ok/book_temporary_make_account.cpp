// The compiling twin of compile_fail/book_temporary_make_account.cpp: the same account taken
// from a named book, which outlives it.
#include <margincall/margin/book.hpp>
#include <margincall/tiers/tier_schedule.hpp>

#include <vector>

using schedule = margincall::tier_schedule<double>;
using linear = margincall::linear_contract<double>;
using book_t = margincall::book<linear, schedule>;

book_t load() {
    const std::vector<margincall::account_row<double>> accounts{{.wallet_balance = 1000}};
    const std::vector<margincall::position_row<double>> positions{
        {.account = 0, .symbol = 0, .quantity = 1, .entry_price = 20000, .leverage = 50}};
    return book_t({linear{}}, {schedule({{0, 2000000, 100, 0.005}})}, accounts, positions);
}

int main() {
    const book_t book = load();
    const auto account = book.make_account(0);
    return static_cast<int>(account.positions().size());
}
