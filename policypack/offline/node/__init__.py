"""Offline capture of Node.js (TypeScript, JavaScript) programs: see capture.py."""
