"""Imported once by the forkserver that local worker processes fork from (see executors.pool_context): builds
the detector of the default settings there, so the workers start with it instead of building it each."""
import os

from scanner.executors import MAIN_PID_VAR, _die_with_parent, prebuild_detector

# NOTE: first, as each worker does: the forkserver exits with the scan's main process (at once, even while
# it is still building the detector; it would only notice at its first fork otherwise)
_die_with_parent(int(os.environ[MAIN_PID_VAR]))
prebuild_detector()
