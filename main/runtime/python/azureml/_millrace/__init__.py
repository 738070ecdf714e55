"""Internals of Millrace's ``azureml`` package: nothing here is SDK surface."""
