// Tests of include/margincall/io/text_file.hpp: whole-file reads, bounded in size.
#include <margincall/io/text_file.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "catch.hpp"

using namespace margincall;

TEST_CASE("read_text_file reads whole files and refuses missing or oversized ones", "[io]") {
    const std::string dir = std::string(MARGINCALL_TEST_REFERENCE_DIR) + "/../io/corpus/";
    const std::string text = read_text_file("t", dir + "book.csv");
    CHECK(text.rfind("# account book", 0) == 0);
    CHECK(text.back() == '\n');
    REQUIRE_THROWS_MATCHES(read_text_file("t", dir + "none.csv"), margincall::invalid_argument,
                           Message("t: the file is " + dir + "none.csv, but must be a readable file"));
    // A sparse file one byte over the limit.
    const std::string big = (std::filesystem::temp_directory_path() / "margincall-text-file-big.txt").string();
    {
        std::ofstream out(big, std::ios::binary);
        out.seekp(static_cast<std::streamoff>(max_input_bytes));
        out.put('x');
    }
    REQUIRE_THROWS_MATCHES(read_text_file("t", big), margincall::invalid_argument,
                           Message("t: the size of " + big + " is 67108865, but must be <= 67108864 bytes"));
    std::filesystem::remove(big);
    // An empty file is read as empty.
    const std::string empty = (std::filesystem::temp_directory_path() / "margincall-text-file-empty.txt").string();
    { std::ofstream out(empty); }
    CHECK(read_text_file("t", empty).empty());
    std::filesystem::remove(empty);
}
