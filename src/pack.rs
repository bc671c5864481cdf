//! Packing: the zip of originals with clean names and a checksum list.
