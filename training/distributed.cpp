// distributed.cpp — the process groups of distributed.hpp: one process, or MPI's world.
//
// chain_sum is a pipelined chain, not MPI_Allreduce (whose summation order is the
// library's choice): the buffer travels in 256 KiB chunks from rank 0 to rank N-1, each
// rank adding its own gradients to the partial sum it received, then the finished
// chunks travel back from rank N-1 to rank 0. Every link carries the buffer once each
// way, and chunk c+1 is in flight while chunk c is being added, so the time is about
//   2 × bytes / bandwidth + (N - 1) × (2 × (chunk / bandwidth + latency) + chunk additions)
// (bench/mpi_scaling.sh measures it and projects it to more machines).
#include "training/distributed.hpp"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace nmt {
namespace {

constexpr std::size_t chain_chunk_floats = std::size_t{1} << 16;  // 256 KiB per message
constexpr std::size_t broadcast_chunk_bytes = std::size_t{1} << 30;

class SingleProcess final : public ProcessGroup {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void broadcast(void*, std::size_t) override {}
  void chain_sum(const std::vector<const float*>& own, float* out, std::size_t n) override {
    if (own.at(0) != out) std::copy_n(own[0], n, out);  // the first may be the sum's own buffer
    for (std::size_t j = 1; j < own.size(); ++j) add_gradient(out, own[j], n);
  }
  std::vector<double> gather(const std::vector<double>& mine) override { return mine; }
  std::vector<std::string> gather(const std::string& mine) override { return {mine}; }
  [[noreturn]] void abort(int status) override { std::_Exit(status); }
};

void check_mpi(int code, const char* call) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  throw std::runtime_error(std::string(call) + " failed: " + std::string(text, static_cast<std::size_t>(length)));
}

// Waits for `request` without holding a core: a broadcast may wait for rank 0 to train
// the tokenizers or validate, which it does faster with every core to itself. Spins
// for a moment first, as most waits between updates are short.
void wait_politely(MPI_Request& request) {
  int done = 0;
  const auto spin_until = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
  while (true) {
    check_mpi(MPI_Test(&request, &done, MPI_STATUS_IGNORE), "MPI_Test");
    if (done) return;
    if (std::chrono::steady_clock::now() > spin_until) std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
}

struct Chunk {
  std::size_t offset;
  int length;
};

std::vector<MPI_Request> post_receives(const std::vector<Chunk>& chunks, float* out, int from, int tag) {
  std::vector<MPI_Request> requests(chunks.size());
  for (std::size_t c = 0; c < chunks.size(); ++c)
    check_mpi(MPI_Irecv(out + chunks[c].offset, chunks[c].length, MPI_FLOAT, from, tag, MPI_COMM_WORLD, &requests[c]),
              "MPI_Irecv");
  return requests;
}

MPI_Request post_send(const float* data, int length, int to, int tag) {
  MPI_Request request;
  check_mpi(MPI_Isend(data, length, MPI_FLOAT, to, tag, MPI_COMM_WORLD, &request), "MPI_Isend");
  return request;
}

void wait_for(MPI_Request& request) { check_mpi(MPI_Wait(&request, MPI_STATUS_IGNORE), "MPI_Wait"); }

void wait_all(std::vector<MPI_Request>& requests) {
  if (!requests.empty())
    check_mpi(MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE), "MPI_Waitall");
  requests.clear();
}

class MpiWorld final : public ProcessGroup {
 public:
  MpiWorld() {
    check_mpi(MPI_Init(nullptr, nullptr), "MPI_Init");
    // Errors come back as codes (and become exceptions) instead of ending the job silently.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~MpiWorld() override { MPI_Finalize(); }

  int rank() const override { return rank_; }
  int size() const override { return size_; }

  void broadcast(void* data, std::size_t bytes) override {
    auto* p = static_cast<char*>(data);
    for (std::size_t offset = 0; offset < bytes; offset += broadcast_chunk_bytes) {
      const int count = static_cast<int>(std::min(broadcast_chunk_bytes, bytes - offset));
      MPI_Request request;
      check_mpi(MPI_Ibcast(p + offset, count, MPI_BYTE, 0, MPI_COMM_WORLD, &request), "MPI_Ibcast");
      wait_politely(request);
    }
  }

  void chain_sum(const std::vector<const float*>& own, float* out, std::size_t n) override {
    const bool first = rank_ == 0, last = rank_ + 1 == size_;
    std::vector<Chunk> chunks;
    for (std::size_t offset = 0; offset < n; offset += chain_chunk_floats)
      chunks.push_back({offset, static_cast<int>(std::min(chain_chunk_floats, n - offset))});
    // Towards rank N-1: every partial chunk's receive is posted at once, so chunk c+1
    // arrives while chunk c is being added and sent on.
    std::vector<MPI_Request> receives, sends;
    if (!first) receives = post_receives(chunks, out, rank_ - 1, 0);
    for (std::size_t c = 0; c < chunks.size(); ++c) {
      float* chunk = out + chunks[c].offset;
      std::size_t first_own = 0;
      if (first) {
        if (own.at(0) + chunks[c].offset != chunk) std::copy_n(own[0] + chunks[c].offset, chunks[c].length, chunk);
        first_own = 1;
      } else {
        wait_for(receives[c]);
      }
      for (std::size_t j = first_own; j < own.size(); ++j)
        add_gradient(chunk, own[j] + chunks[c].offset, static_cast<std::size_t>(chunks[c].length));
      if (!last) sends.push_back(post_send(chunk, chunks[c].length, rank_ + 1, 0));
    }
    wait_all(sends);
    // Back towards rank 0: the finished chunks, forwarded as they arrive.
    if (!last) receives = post_receives(chunks, out, rank_ + 1, 1);
    for (std::size_t c = 0; c < chunks.size(); ++c) {
      if (!last) wait_for(receives[c]);
      if (!first) sends.push_back(post_send(out + chunks[c].offset, chunks[c].length, rank_ - 1, 1));
    }
    wait_all(sends);
  }

  std::vector<double> gather(const std::vector<double>& mine) override {
    std::vector<double> all(mine.size() * static_cast<std::size_t>(size_));
    check_mpi(MPI_Allgather(mine.data(), static_cast<int>(mine.size()), MPI_DOUBLE, all.data(),
                            static_cast<int>(mine.size()), MPI_DOUBLE, MPI_COMM_WORLD),
              "MPI_Allgather");
    return all;
  }

  std::vector<std::string> gather(const std::string& mine) override {
    if (mine.size() > INT_MAX) throw std::runtime_error("a gathered text is over 2 GiB");
    const int length = static_cast<int>(mine.size());
    std::vector<int> lengths(static_cast<std::size_t>(size_));
    check_mpi(MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
    std::vector<int> offsets(lengths.size(), 0);
    for (std::size_t r = 1; r < lengths.size(); ++r) offsets[r] = offsets[r - 1] + lengths[r - 1];
    std::string joined(static_cast<std::size_t>(offsets.back() + lengths.back()), '\0');
    check_mpi(MPI_Allgatherv(mine.data(), length, MPI_CHAR, joined.data(), lengths.data(), offsets.data(), MPI_CHAR,
                             MPI_COMM_WORLD),
              "MPI_Allgatherv");
    std::vector<std::string> all;
    for (std::size_t r = 0; r < lengths.size(); ++r)
      all.push_back(joined.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(lengths[r])));
    return all;
  }

  [[noreturn]] void abort(int status) override {
    MPI_Abort(MPI_COMM_WORLD, status);
    std::_Exit(status);
  }

 private:
  int rank_ = 0, size_ = 1;
};

}  // namespace

void ProcessGroup::broadcast(std::string& text) {
  std::uint64_t length = text.size();
  broadcast(&length, sizeof length);
  text.resize(length);
  broadcast(text.data(), text.size());
}

void ProcessGroup::broadcast(std::vector<float>& values) {
  std::uint64_t length = values.size();
  broadcast(&length, sizeof length);
  values.resize(length);
  broadcast(values.data(), values.size() * sizeof(float));
}

void add_gradient(float* out, const float* add, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] += add[i];
}

bool started_by_mpi_launcher() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

std::unique_ptr<ProcessGroup> join_process_group() {
  if (started_by_mpi_launcher()) return std::make_unique<MpiWorld>();
  return std::make_unique<SingleProcess>();
}

}  // namespace nmt
