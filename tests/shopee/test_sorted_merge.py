"""sorted_merge.merge_sorted: the same list as SortedList.update, with SortedList's invariants."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from sortedcontainers import SortedList

from mockserver.shopee.sorted_merge import merge_sorted

_values = st.lists(st.integers(min_value=0, max_value=5_000), max_size=400)


@settings(max_examples=300, deadline=None)
@given(have=_values, batches=st.lists(_values, max_size=4), load=st.sampled_from([4, 8, 1000]))
def test_merging_keeps_the_list_sorted_and_whole(have, batches, load):
    merged, expected = SortedList(have), SortedList(have)
    merged._reset(load)
    for values in batches:
        merge_sorted(merged, sorted(values))
        expected.update(values)
        merged._check()  # sublists sorted, within the load, maxes and length right
        assert list(merged) == list(expected)
    # The positional index, emptied by the merge, is rebuilt on use.
    for position in range(0, len(expected), 7):
        assert merged[position] == expected[position]
        assert merged.bisect_left(expected[position]) == expected.bisect_left(expected[position])


def test_a_few_values_into_a_long_list_and_many_into_an_empty_one():
    target = SortedList(range(0, 100_000, 2))
    merge_sorted(target, [1, 50_001, 99_999, 200_000])
    target._check()
    assert len(target) == 50_004 and target[1] == 1 and target[-1] == 200_000
    empty = SortedList()
    merge_sorted(empty, list(range(10_000)))
    empty._check()
    assert list(empty) == list(range(10_000))


def test_a_value_list_given_is_left_as_it_was():
    values = [3, 5, 7]
    target = SortedList([4, 6])
    target._reset(4)
    merge_sorted(target, values)
    merge_sorted(SortedList(), values)
    assert values == [3, 5, 7] and list(target) == [3, 4, 5, 6, 7]
