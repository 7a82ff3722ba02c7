// test_utf8.cpp — UTF-8 validation and repair.
#include <gtest/gtest.h>

#include "data/utf8.hpp"

namespace nmt {
namespace {

TEST(Utf8, AcceptsValidMultilingualText) {
  EXPECT_TRUE(utf8::is_valid("Grüße aus Köln, ß"));
  EXPECT_TRUE(utf8::is_valid("Příliš žluťoučký kůň"));
  EXPECT_TRUE(utf8::is_valid("日本語のテキスト"));
  EXPECT_TRUE(utf8::is_valid("emoji \xF0\x9F\x98\x80"));
  EXPECT_TRUE(utf8::is_valid(""));
}

TEST(Utf8, FindsTheFirstInvalidByte) {
  EXPECT_EQ(utf8::find_invalid("ab\xFF" "cd"), 2u);          // never valid
  EXPECT_EQ(utf8::find_invalid("a\xC3"), 1u);                // truncated sequence
  EXPECT_EQ(utf8::find_invalid("\xC0\xAF"), 0u);             // overlong '/'
  EXPECT_EQ(utf8::find_invalid("x\xED\xA0\x80"), 1u);        // UTF-16 surrogate
  EXPECT_EQ(utf8::find_invalid("\xF4\x90\x80\x80"), 0u);     // above U+10FFFF
  EXPECT_EQ(utf8::find_invalid("ok\x80"), 2u);               // lone continuation byte
}

TEST(Utf8, RepairReplacesEachInvalidRunOnce) {
  EXPECT_EQ(utf8::repair("a\xFF\xFE" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(utf8::repair("\xC3"), "\xEF\xBF\xBD");
  EXPECT_EQ(utf8::repair("Grüße"), "Grüße");
  EXPECT_TRUE(utf8::is_valid(utf8::repair("\xE2\x82 x \xF0\x9F")));
}

TEST(Utf8, EscapeForMessageShowsControlAndInvalidBytes) {
  EXPECT_EQ(utf8::escape_for_message("bell\x07 tab\t nl\n del\x7F"), "bell\\x07 tab\\x09 nl\\x0a del\\x7f");
  EXPECT_EQ(utf8::escape_for_message("bad \xFF\xC3 end"), "bad \\xff\\xc3 end");
  EXPECT_EQ(utf8::escape_for_message("csi \xC2\x9B" "31m"), "csi \\u009b31m");  // C1 control
  EXPECT_EQ(utf8::escape_for_message("Grüße — 日本 \\x07"), "Grüße — 日本 \\x07");
  const std::string once = utf8::escape_for_message("a\x1B[0m\xFE");
  EXPECT_EQ(utf8::escape_for_message(once), once);
  EXPECT_TRUE(utf8::is_valid(once));
}

TEST(Utf8, LengthCountsCodePoints) {
  EXPECT_EQ(utf8::length("abc"), 3u);
  EXPECT_EQ(utf8::length("ß€😀"), 3u);
}

}  // namespace
}  // namespace nmt
