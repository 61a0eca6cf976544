#pragma once
/// \file
/// Reads a whole text file for the io/ loaders, bounded in size, with the library's error
/// shape when it cannot; and how the loaders show a piece of the text in a message.

#include <margincall/core/error.hpp>

#include <cstddef>
#include <fstream>
#include <ios>
#include <iterator>
#include <string>
#include <string_view>

namespace margincall {

/// The largest file the loaders read (64 MiB): bracket tables and account books are far
/// smaller; a larger file is refused rather than read into memory.
inline constexpr std::size_t max_input_bytes = std::size_t(64) << 20;

/// The contents of `path`. \throws invalid_argument naming `where` and the file when it cannot
/// be opened or read, or is larger than max_input_bytes.
[[nodiscard]] inline std::string read_text_file(const char* where, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw_invalid_argument(where, "the file", path, "a readable file");
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    if (size < 0) throw_invalid_argument(where, "the file", path, "a readable file");
    if (static_cast<std::size_t>(size) > max_input_bytes)
        throw_invalid_argument(where, detail::message("the size of ", path), size,
                               detail::message("<= ", max_input_bytes, " bytes").c_str());
    in.seekg(0, std::ios::beg);
    std::string text(static_cast<std::size_t>(size), '\0');
    if (size > 0 && !in.read(text.data(), size)) throw_invalid_argument(where, "the file", path, "a readable file");
    return text;
}

namespace detail {

/// A shown field value: at most 40 characters, so hostile input cannot bloat messages.
inline std::string shown(std::string_view v) {
    std::string s = "\"";
    for (std::size_t i = 0; i < v.size() && i < 40; ++i) {
        const char c = v[i];
        s += (c >= 32 && c < 127) ? c : '?';
    }
    if (v.size() > 40) s += "...";
    return s + "\"";
}

/// The line of `text` starting at `pos`, without its "\n" or "\r\n"; advances `pos` past it.
/// Returns false once `pos` is past the end (a text ending in "\n" yields a last, empty line).
inline bool next_line(std::string_view text, std::size_t& pos, std::string_view& line) {
    if (pos > text.size()) return false;
    const std::size_t end = text.find('\n', pos);
    line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() + 1 : end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return true;
}

}  // namespace detail

}  // namespace margincall
