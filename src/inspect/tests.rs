//! Tests of the public inspection functions on bytes made here.
