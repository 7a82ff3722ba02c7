// test_safetensors.cpp — the container's header against the text nmt wrote before it used
// nlohmann-json: such a file loads, the writer still produces it byte for byte, 64-bit
// offsets are read exactly, and a header that is not JSON is corruption at a named byte.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>

#include "formats/safetensors.hpp"
#include "test_util.hpp"

namespace nmt {
namespace {

const float kWeights[6] = {0.5f, -1.25f, 3.0f, 1e-8f, -0.0f, 42.0f};
const char kBytes[5] = {'h', 'e', 'l', 'l', 'o'};

// A container as the previous, hand-written writer laid it out: compact JSON, metadata
// keys sorted with "checksum" last, tensors in the order written, spaces up to a multiple
// of 8 bytes, the CRC-32 of header (digits as 00000000) and data in the checksum.
std::string old_format_file() {
  std::string header =
      "{\"__metadata__\":{\"format\":\"nmt\",\"format_version\":\"1\",\"note\":\"say \\\"hi\\\"\\n\","
      "\"train.step\":\"20\",\"checksum\":\"00000000\"},"
      "\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
      "\"b\":{\"dtype\":\"U8\",\"shape\":[5],\"data_offsets\":[24,29]}}";
  while (header.size() % 8 != 0) header += ' ';
  std::string data(reinterpret_cast<const char*>(kWeights), sizeof kWeights);
  data.append(kBytes, sizeof kBytes);
  uLong crc = crc32(0, reinterpret_cast<const Bytef*>(header.data()), static_cast<uInt>(header.size()));
  crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
  char digits[9];
  std::snprintf(digits, sizeof digits, "%08lx", crc);
  header.replace(header.find("00000000"), 8, digits);
  std::string file(8, '\0');
  for (int i = 0; i < 8; ++i) file[i] = static_cast<char>((header.size() >> (8 * i)) & 0xFF);
  return file + header + data;
}

// A file with `header` (padded) and `data` and no valid checksum.
std::string file_with_header(std::string header, const std::string& data) {
  while (header.size() % 8 != 0) header += ' ';
  std::string file(8, '\0');
  for (int i = 0; i < 8; ++i) file[i] = static_cast<char>((header.size() >> (8 * i)) & 0xFF);
  return file + header + data;
}

TEST(Safetensors, AFileInTheOldTextualFormLoads) {
  test::TempDir dir;
  test::write_text(dir.file("old.nmt"), old_format_file());
  const Container c = Container::read(dir.file("old.nmt"));
  EXPECT_EQ(c.meta("note"), "say \"hi\"\n");
  EXPECT_EQ(c.meta_number("train.step"), 20);
  EXPECT_EQ(c.shape("w"), (std::vector<std::int64_t>{2, 3}));
  float weights[6];
  c.copy_floats("w", weights, 6);
  EXPECT_EQ(std::memcmp(weights, kWeights, sizeof weights), 0);
  EXPECT_EQ(c.bytes("b"), "hello");
  EXPECT_EQ(c.dtype("b"), "U8");
}

TEST(Safetensors, TheWriterProducesTheOldBytes) {
  test::TempDir dir;
  write_container(dir.file("new.nmt"), {{"note", "say \"hi\"\n"}, {"train.step", "20"}},
                  {TensorToWrite{"w", "F32", {2, 3}, kWeights, sizeof kWeights},
                   TensorToWrite{"b", "U8", {5}, kBytes, sizeof kBytes}});
  EXPECT_EQ(test::read_text(dir.file("new.nmt")), old_format_file());
}

TEST(Safetensors, SixtyFourBitOffsetsAreReadExactly) {
  test::TempDir dir;
  // 2^53 + 1 has no double: read through one it would become 2^53.
  const std::string header =
      "{\"__metadata__\":{\"format\":\"nmt\",\"format_version\":\"1\",\"checksum\":\"00000000\"},"
      "\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[9007199254740992,9007199254740993]}}";
  const std::string file = file_with_header(header, "x");
  test::write_text(dir.file("far.nmt"), file);
  try {
    Container::read(dir.file("far.nmt"));
    ADD_FAILURE() << "accepted";
  } catch (const FileFormatError& e) {
    EXPECT_EQ(e.kind(), FileFormatError::Kind::truncated);
    EXPECT_NE(std::string(e.what()).find("tensor 'b' ends at byte 9007199254740993 of 1 data bytes"), std::string::npos)
        << e.what();
  }
}

TEST(Safetensors, AShapeWhoseProductOverflowsIsCorruption) {
  test::TempDir dir;
  // 2^32 · 2^32 wraps to 0 in 64 bits, the size the offsets claim.
  const std::string header =
      "{\"__metadata__\":{\"format\":\"nmt\",\"format_version\":\"1\",\"checksum\":\"00000000\"},"
      "\"w\":{\"dtype\":\"U8\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}";
  test::write_text(dir.file("wrap.nmt"), file_with_header(header, ""));
  try {
    Container::read(dir.file("wrap.nmt"));
    ADD_FAILURE() << "accepted";
  } catch (const FileFormatError& e) {
    EXPECT_EQ(e.kind(), FileFormatError::Kind::corrupted);
    EXPECT_NE(std::string(e.what()).find("tensor 'w' has a shape too large for any file"), std::string::npos)
        << e.what();
  }
}

TEST(Safetensors, ANumberTooLargeForJsonIsCorruption) {
  test::TempDir dir;
  test::write_text(dir.file("big.nmt"), file_with_header("{\"__metadata__\":{\"format\":\"nmt\"},\"x\":2E664}", ""));
  try {
    Container::read(dir.file("big.nmt"));
    ADD_FAILURE() << "accepted";
  } catch (const FileFormatError& e) {
    EXPECT_EQ(e.kind(), FileFormatError::Kind::corrupted);
    EXPECT_NE(std::string(e.what()).find("header: number overflow parsing '2E664'"), std::string::npos) << e.what();
  }
}

TEST(Safetensors, AHeaderThatIsNotJsonIsCorruptionAtAByte) {
  test::TempDir dir;
  // The second comma is the 33rd byte of the header (nlohmann counts from 1).
  test::write_text(dir.file("bad.nmt"), file_with_header("{\"__metadata__\":{\"format\":\"nmt\",,}}", ""));
  try {
    Container::read(dir.file("bad.nmt"));
    ADD_FAILURE() << "accepted";
  } catch (const FileFormatError& e) {
    EXPECT_EQ(e.kind(), FileFormatError::Kind::corrupted);
    EXPECT_NE(std::string(e.what()).find("header: invalid JSON at byte 33:"), std::string::npos) << e.what();
  }
}

TEST(Safetensors, OffsetsThatAreNotNonNegativeIntegersAreCorruption) {
  test::TempDir dir;
  for (const char* offsets : {"[0.0,4]", "[-4,0]", "[0,4e0]", "[0]", "4"}) {
    const std::string header =
        "{\"__metadata__\":{\"format\":\"nmt\",\"format_version\":\"1\",\"checksum\":\"00000000\"},"
        "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":" + std::string(offsets) + "}}";
    test::write_text(dir.file("odd.nmt"), file_with_header(header, std::string(4, '\0')));
    try {
      Container::read(dir.file("odd.nmt"));
      ADD_FAILURE() << offsets << " accepted";
    } catch (const FileFormatError& e) {
      EXPECT_EQ(e.kind(), FileFormatError::Kind::corrupted) << offsets << ": " << e.what();
      EXPECT_NE(std::string(e.what()).find("tensor 'w'"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace nmt
