#!/usr/bin/env bash
echo "conformance: not written yet"
