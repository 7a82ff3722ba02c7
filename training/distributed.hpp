// distributed.hpp — the processes of one training run: a single process, or the ranks
// of an MPI job (`mpirun -np N nmt train ...`), behind one interface.
//
// MPI is initialised only when an MPI launcher started the process (its environment
// says so); otherwise the group is one process and every operation below is local.
// Every collective is deterministic: its result does not depend on message timing, so
// N ranks reproduce one process byte for byte (training/trainer.hpp, README "Training
// on several machines").
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace nmt {

class ProcessGroup {
 public:
  virtual ~ProcessGroup() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  bool is_root() const { return rank() == 0; }

  // Rank 0's bytes (`data`, `bytes` long on every rank) copied to every rank.
  virtual void broadcast(void* data, std::size_t bytes) = 0;
  // Rank 0's string on every rank (any length).
  void broadcast(std::string& text);
  // Rank 0's floats on every rank; the vector is resized to rank 0's length.
  void broadcast(std::vector<float>& values);

  // The sum of every rank's gradients in rank order, left to right:
  //   out = ((own_0 of rank 0 + own_1 of rank 0 + ...) + own_0 of rank 1 + ...) ...
  // where `own` is this rank's list of n-float buffers (possibly empty on ranks > 0;
  // rank 0 always holds at least one). The result lands on every rank. One process
  // computes the same sum, in the same order, with the same additions.
  virtual void chain_sum(const std::vector<const float*>& own, float* out, std::size_t n) = 0;

  // Every rank's `count` doubles, in rank order (count × size values), on every rank.
  virtual std::vector<double> gather(const std::vector<double>& mine) = 0;
  // Every rank's text (any length), in rank order, on every rank.
  virtual std::vector<std::string> gather(const std::string& mine) = 0;

  // Ends the whole job now (other ranks included) with this exit status.
  [[noreturn]] virtual void abort(int status) = 0;
};

// out += add, element by element: the one addition every chain_sum performs.
void add_gradient(float* out, const float* add, std::size_t n);

// True when an MPI launcher (Open MPI's mpirun, or a PMI/PMIx one) started this process.
bool started_by_mpi_launcher();

// The group this process belongs to: MPI's world when started_by_mpi_launcher(), else
// a group of one. MPI stays initialised until the group is destroyed.
std::unique_ptr<ProcessGroup> join_process_group();

}  // namespace nmt
