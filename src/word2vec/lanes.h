#pragma once
// CBOW blocks over short sentences (cbow_blocks.cc): which lane each
// sentence of a group goes to.
namespace wembed {

constexpr int kMaxLanes = 8;  // TrainArgs::cbow_block's largest value

// Sentences 0..m-1 of lengths len[i] into nl <= kMaxLanes lanes, so that the lanes end
// close together: the longest first (ties: the earlier sentence), each to
// the lane with the fewest words so far (ties: the lower lane). order gets
// the sentences in that order and lane_of[i] the lane of sentence i; both
// hold m values. (Graham's longest-first rule: the longest lane is at most
// 4/3 of the best possible.)
void packLanes(const int* len, int m, int nl, int* order, int* lane_of);

}  // namespace wembed
