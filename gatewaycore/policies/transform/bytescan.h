// Eight bytes at a time: whether a word of text holds a byte that needs a closer look, for the
// JSON -> XML scanners (string bodies in the parser, text in the XML writer). Each test is exact
// as a yes/no for the word; the caller then walks that word byte by byte.
#pragma once

#include <QtGlobal>

#include <cstring>

namespace Gatehouse::ByteScan {

constexpr quint64 kOnes = 0x0101010101010101ULL;
constexpr quint64 kHighs = 0x8080808080808080ULL;

inline quint64 load(const char *p)
{
    quint64 word;
    std::memcpy(&word, p, sizeof word);
    return word;
}

// Nonzero when a byte of `word` equals `byte`.
constexpr quint64 has(quint64 word, quint8 byte)
{
    const quint64 x = word ^ (kOnes * byte);
    return (x - kOnes) & ~x & kHighs;
}

// Nonzero when a byte of `word` is below `n` (n <= 128).
constexpr quint64 hasBelow(quint64 word, quint8 n)
{
    return (word - kOnes * n) & ~word & kHighs;
}

// A JSON string's bytes that end a plain run: the quote, the backslash, control characters and
// non-ASCII (checked as UTF-8).
constexpr bool jsonStringPlain(quint64 word)
{
    return (has(word, '"') | has(word, '\\') | hasBelow(word, 0x20) | (word & kHighs)) == 0;
}

// Text the XML writer copies as it is: no control character, none of < > & ", and no 0xEF (the
// lead byte of U+FFFE / U+FFFF, which are dropped).
constexpr bool xmlTextPlain(quint64 word)
{
    return (hasBelow(word, 0x20) | has(word, '<') | has(word, '>') | has(word, '&') | has(word, '"')
            | has(word, 0xEF))
           == 0;
}

} // namespace Gatehouse::ByteScan
